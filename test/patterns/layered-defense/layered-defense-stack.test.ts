import { Match, Template } from 'aws-cdk-lib/assertions';
import { baselineOf, buildError, getAtt, layeredDefenseStack, logicalId, NOTES_TABLE, resourcesOf, stableTemplate } from './fixtures';
import { declaredPrinciples } from '../../../lib/core/controls';
import { LATTICE_DATA_PLANE_CIDR } from '../../../lib/mesh';
import { QUARANTINE_EVENT_DETAIL_TYPE, QUARANTINE_EVENT_SOURCE } from '../../../lib/monitoring';
import { ApplicationLayer, AuthorizationLayer, DataLayer, IdentityLayer, MonitoringLayer, PerimeterLayer } from '../../../patterns/layered-defense';
import { expectControlTowerClean } from '../../support/cfn-guard';
import { expectGateClean } from '../../support/gate';
import { testServer } from '../shared/fixtures';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

describe('LayeredDefenseStack with default props', () => {
  // GIVEN two MCP servers, a Cognito identity and no pattern-specific props
  const stack = layeredDefenseStack();
  // WHEN it is synthesized
  const template = Template.fromStack(stack);

  test('has the six layers as constructs of the stack, in the seed\'s order, each declaring its layer', () => {
    const layers = stack.node.children.filter((child) => /^Layer\d/.test(child.node.id));
    expect(layers.map((layer) => layer.node.id)).toEqual([
      'Layer1Perimeter', 'Layer2Identity', 'Layer3Authorization', 'Layer4Application', 'Layer5Data', 'Layer6Monitoring',
    ]);
    expect(layers.map((layer) => layer.constructor))
      .toEqual([PerimeterLayer, IdentityLayer, AuthorizationLayer, ApplicationLayer, DataLayer, MonitoringLayer]);
    expect(layers.map((layer) => declaredPrinciples(layer))).toEqual([
      ['defense-in-depth/network'],
      ['defense-in-depth/identity'],
      ['defense-in-depth/authorization'],
      ['defense-in-depth/application'],
      ['defense-in-depth/data'],
      ['defense-in-depth/monitoring'],
    ]);
  });

  test('layers name the platform\'s parts instead of creating their own', () => {
    const gateway = stack.platform.gateway;
    expect(stack.perimeter.webAcl).toBe(stack.platform.frontDoor.webAcl);
    expect(stack.identity.authorizationServer).toBe(stack.platform.authorizationServer);
    expect(stack.authorization.policyStore).toBe(gateway.policyStore);
    expect(stack.application.gateway).toBe(gateway);
    expect(stack.data.keys).toBe(stack.platform.keys);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.resourceCountIs('AWS::VerifiedPermissions::PolicyStore', 1);
    template.resourceCountIs('AWS::KMS::Key', 4);
  });

  test('perimeter: the web ACL is attached to the MCP endpoint\'s load balancer, and there is no Shield protection', () => {
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: logicalId(stack.perimeter.loadBalancer) },
      WebACLArn: getAtt(stack.perimeter.webAcl.webAcl, 'Arn'),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.resourceCountIs('AWS::Shield::Protection', 0);
    expect(stack.perimeter.shieldProtection).toBeUndefined();
  });

  test('identity: the user pool requires TOTP MFA and clients get 15-minute access and ID tokens and 8-hour rotated refresh tokens', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      EnableTokenRevocation: true,
    });
    expect(stack.identity.mfaEnforcedBy).toBe('cognito');
    expect(stack.identity.userPool).toBeDefined();
    expect(template.toJSON().Metadata?.['McpKit::IdentityLayer']).toBeUndefined();
  });

  test('authorization: the gateway\'s Cedar policies are in a Verified Permissions store with STRICT validation', () => {
    template.hasResourceProperties('AWS::VerifiedPermissions::PolicyStore', {
      ValidationSettings: { Mode: 'STRICT' },
      DeletionProtection: { Mode: 'ENABLED' },
    });
    const policies = resourcesOf(template, 'AWS::VerifiedPermissions::Policy');
    expect(Object.keys(policies).length).toBe(stack.authorization.policyStore.policyCount);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyStoreId).toEqual(getAtt(stack.authorization.policyStore, 'PolicyStoreId'));
    }
    expect(stack.authorization.rules.map((rule) => rule.match)).toEqual(['notes/search', 'tickets/search']);
  });

  test('authorization: each server\'s Lattice service uses AWS_IAM and its auth policy names only the gateway\'s role', () => {
    template.resourceCountIs('AWS::VpcLattice::Service', 2);
    template.allResourcesProperties('AWS::VpcLattice::Service', { AuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::VpcLattice::ServiceNetwork', { AuthType: 'AWS_IAM', Name: 'mcp-test-layered-defense' });
    const gatewayRole = getAtt(stack.platform.gateway.taskRole, 'Arn');
    for (const server of stack.servers.servers) {
      template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
        ResourceIdentifier: getAtt(server.lattice, 'Id'),
        Policy: { Statement: [Match.objectLike({ Effect: 'Allow', Principal: { AWS: [gatewayRole] } })] },
      });
    }
    // The gateway calls each server's Lattice URL, signing its requests with its role (SigV4),
    // and names the server's ECS service when it requests a quarantine.
    expect(stack.resolve(stack.platform.gateway.configDocument.upstreams)).toEqual(stack.servers.servers.map((server) => ({
      name: server.spec.name,
      url: stack.resolve(server.url),
      timeoutMs: 30000,
      awsIam: { region: 'us-east-1' },
      ecsServiceArn: { Ref: logicalId(server.service.service) },
    })));
  });

  test('servers admit only the Lattice data plane, the network ACLs let it in, and only the gateway reaches the service network', () => {
    for (const [server, port] of [[stack.servers.servers[0], 8080], [stack.servers.servers[1], 9000]] as const) {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('MCP server tasks'),
        SecurityGroupIngress: [{ CidrIp: LATTICE_DATA_PLANE_CIDR, IpProtocol: 'tcp', FromPort: port, ToPort: port, Description: Match.anyValue() }],
        VpcId: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
        NetworkAclId: { Ref: logicalId(stack.platform.network.networkAcls.workload) },
        CidrBlock: LATTICE_DATA_PLANE_CIDR,
        Egress: false,
        RuleAction: 'allow',
        PortRange: { From: port, To: port },
      });
      expect(stack.resolve(server.service.securityGroup.securityGroupId)).toEqual(getAtt(server.service.securityGroup, 'GroupId'));
    }
    const clientIngress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
      .filter((rule) => JSON.stringify(rule.Properties.GroupId) === JSON.stringify(getAtt(stack.servers.clientSecurityGroup, 'GroupId')));
    expect(clientIngress.map((rule) => rule.Properties)).toEqual([expect.objectContaining({
      SourceSecurityGroupId: getAtt(stack.platform.gateway.securityGroup, 'GroupId'), FromPort: 443, ToPort: 443,
    })]);
  });

  test('servers verify gateway tokens minted for their own Lattice URL, and hold only their awsAccess and the public key', () => {
    const [notes, tickets] = stack.servers.servers;
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: getAtt(notes.service.taskRole, 'Arn'),
      ContainerDefinitions: [Match.objectLike({
        Environment: Match.arrayWith([
          { Name: 'PORT', Value: '8080' },
          { Name: 'MCP_PATH', Value: '/mcp' },
          { Name: 'GATEWAY_SIGNING_KEY_ARN', Value: getAtt(stack.platform.keys.signing, 'Arn') },
          { Name: 'GATEWAY_ISSUER', Value: 'https://mcp.example.com/mcp' },
          { Name: 'SERVER_AUDIENCE', Value: stack.resolve(notes.url) },
        ]),
      })],
    });
    const statementsOf = (role: typeof notes.service.taskRole) => Object.values(resourcesOf(template, 'AWS::IAM::ManagedPolicy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: logicalId(role) }]))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const publicKey = { Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: getAtt(stack.platform.keys.signing, 'Arn') };
    expect(statementsOf(notes.service.taskRole)).toEqual([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: NOTES_TABLE }, publicKey]);
    expect(statementsOf(tickets.service.taskRole)).toEqual([publicKey]);
    template.resourcePropertiesCountIs('AWS::IAM::Policy', { Roles: [{ Ref: logicalId(notes.service.taskRole) }] }, 0);
  });

  test('data: every symmetric key rotates and every log group, queue, secret and function environment is KMS-encrypted', () => {
    const keys = Object.values(resourcesOf(template, 'AWS::KMS::Key'));
    const symmetric = keys.filter((key) => [undefined, 'SYMMETRIC_DEFAULT'].includes(key.Properties.KeySpec as string | undefined));
    expect(symmetric).toHaveLength(3);
    symmetric.forEach((key) => expect(key.Properties).toMatchObject({ EnableKeyRotation: true, RotationPeriodInDays: 365 }));

    const logGroups = Object.values(resourcesOf(template, 'AWS::Logs::LogGroup'));
    expect(logGroups.length).toBeGreaterThanOrEqual(7);
    logGroups.forEach((group) => expect(group.Properties.KmsKeyId).toEqual(getAtt(stack.platform.keys.logs, 'Arn')));
    Object.values(resourcesOf(template, 'AWS::SQS::Queue')).forEach((queue) => expect(queue.Properties.KmsMasterKeyId).toBeDefined());
    Object.values(resourcesOf(template, 'AWS::SecretsManager::Secret')).forEach((secret) => expect(secret.Properties.KmsKeyId).toBeDefined());
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('incident response'),
      KmsKeyArn: getAtt(stack.platform.keys.logs, 'Arn'),
    });
    expect(stack.data.logArchive).toBe(baselineOf(stack).archive.bucket);
  });

  test('monitoring: GuardDuty findings about tasks of the cluster and the gateway\'s requests trigger the quarantine', () => {
    const quarantine = stack.monitoring.quarantine;
    const target = [Match.objectLike({ Arn: getAtt(quarantine.handler, 'Arn') })];
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        'detail': {
          severity: [{ numeric: ['>=', 7] }],
          resource: { resourceType: ['ECSCluster'], ecsClusterDetails: Match.objectLike({ arn: [getAtt(stack.platform.cluster.cluster, 'Arn')] }) },
        },
      },
      Targets: target,
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [QUARANTINE_EVENT_SOURCE], 'detail-type': [QUARANTINE_EVENT_DETAIL_TYPE], 'account': ['111111111111'] },
      Targets: target,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CLUSTER_ARN: getAtt(stack.platform.cluster.cluster, 'Arn'), STOP_TASK: 'false' }) },
    });
    expect(stack.monitoring.guardDutyDetectorId).toBe(baselineOf(stack).monitoring.detectorId);
    expect(stack.monitoring.securityHub).toBe(baselineOf(stack).monitoring.hub);
  });

  test('monitoring: the quarantine role may only describe tasks of the cluster and swap groups of interfaces of its VPC', () => {
    const quarantine = stack.monitoring.quarantine;
    const [policy] = Object.values(resourcesOf(template, 'AWS::IAM::ManagedPolicy'))
      .filter((candidate) => JSON.stringify(candidate.Properties.Roles) === JSON.stringify([{ Ref: logicalId(quarantine.role) }]));
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements.flatMap((statement) => [statement.Action].flat()).sort()).toEqual([
      'ec2:CreateTags', 'ec2:DescribeNetworkInterfaces', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:ModifyNetworkInterfaceAttribute',
      'ecs:DescribeTasks', 'ecs:ListTasks', 'kms:Decrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKey',
      'logs:CreateLogStream', 'logs:PutLogEvents', 'sns:Publish', 'sqs:SendMessage',
    ]);
    expect(statements.find((statement) => statement.Action === 'ecs:DescribeTasks')?.Condition)
      .toEqual({ ArnEquals: { 'ecs:cluster': getAtt(stack.platform.cluster.cluster, 'Arn') } });
    template.resourcePropertiesCountIs('AWS::IAM::Policy', { Roles: [{ Ref: logicalId(quarantine.role) }] }, 0);
  });

  test('monitoring: the gateway requests quarantines on the bus the quarantine listens on', () => {
    expect(stack.resolve(stack.platform.gateway.configDocument.incidents)).toEqual({
      quarantineRequests: {
        enabled: true,
        eventBusArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:111111111111:event-bus/default']] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [QUARANTINE_EVENT_SOURCE], 'detail-type': [QUARANTINE_EVENT_DETAIL_TYPE] },
      EventBusName: 'default',
    });
  });

  test('monitoring: the gateway may put quarantine requests only, and an alarm reports events the quarantine could not handle', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(stack.platform.gateway.taskRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'events:PutEvents',
          Condition: { StringEquals: { 'events:source': QUARANTINE_EVENT_SOURCE, 'events:detail-type': QUARANTINE_EVENT_DETAIL_TYPE } },
        })]),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(stack.monitoring.quarantine.deadLetterQueue, 'QueueName') }],
      Threshold: 1,
      AlarmActions: [Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('SecurityMonitoring') })],
    });
    expect(stack.monitoring.alarms).toHaveLength(stack.platform.gateway.alarms.length + 1);
  });

  test('is gate clean', () => {
    expectGateClean(stack);
  });

  test('is Control Tower clean', () => {
    expectControlTowerClean(stack);
  });

  test('matches the snapshot', () => {
    expect(stableTemplate(stack)).toMatchSnapshot();
  });
});

describe('LayeredDefenseStack with Shield Advanced and an external issuer that enforces MFA', () => {
  // GIVEN the Shield Advanced and external-issuer variants
  const stack = layeredDefenseStack({
    shieldAdvanced: true,
    identity: { kind: 'oidc', issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/jwks.json' },
    externalIssuerEnforcesMfa: true,
  });
  // WHEN it is synthesized
  const template = Template.fromStack(stack);

  test('protects the MCP endpoint\'s load balancer with Shield Advanced, without automatic application-layer mitigation', () => {
    template.resourceCountIs('AWS::Shield::Protection', 1);
    template.hasResourceProperties('AWS::Shield::Protection', {
      Name: 'LayeredDefense-mcp-endpoint',
      ResourceArn: { Ref: logicalId(stack.perimeter.loadBalancer) },
      ApplicationLayerAutomaticResponseConfiguration: Match.absent(),
    });
  });

  test('records in the template that MFA rests on the external issuer, and creates no user pool', () => {
    expect(template.toJSON().Metadata['McpKit::IdentityLayer']).toEqual({
      mfa: 'enforced by the external issuer https://login.example.com, as declared with externalIssuerEnforcesMfa',
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(stack.identity.mfaEnforcedBy).toBe('external-issuer');
    expect(stack.identity.userPool).toBeUndefined();
  });

  test('is gate clean', () => {
    expectGateClean(stack);
  });
});

describe('LayeredDefenseStack validation', () => {
  test('fails with Shield Advanced on an internal endpoint', () => {
    expect(buildError({ shieldAdvanced: true, endpoint: { domainName: 'mcp.example.com', internetFacing: false } }))
      .toMatch(/shieldAdvanced is true but endpoint.internetFacing is false: Shield Advanced mitigates attacks from the internet/);
  });

  test('fails with an external issuer unless the operator states that it enforces MFA', () => {
    expect(buildError({ identity: { kind: 'oidc', issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/.well-known/jwks.json' } }))
      .toMatch(/identity is the external issuer 'https:\/\/login.example.com' and externalIssuerEnforcesMfa is false/);
  });

  test('fails with a quarantine threshold outside GuardDuty\'s severities', () => {
    expect(buildError({ quarantineSeverityThreshold: 11 })).toMatch(/quarantineSeverityThreshold must be a GuardDuty severity from 1 to 10, got 11/);
  });

  test('fails when a server spec sets the variables the pattern sets', () => {
    expect(buildError({ servers: [testServer('notes', { environment: { SERVER_AUDIENCE: 'https://attacker.example.com', LOG_LEVEL: 'info' } })] }))
      .toMatch(/servers\[0\]\.environment sets SERVER_AUDIENCE, which the pattern sets/);
  });

  test('fails listing every problem at once', () => {
    const message = buildError({
      shieldAdvanced: true,
      endpoint: { domainName: 'mcp.example.com', internetFacing: false },
      identity: { kind: 'oidc', issuer: 'https://login.example.com', jwksUri: 'https://login.example.com/.well-known/jwks.json' },
      quarantineSeverityThreshold: 0,
    });
    expect(message).toMatch(/^LayeredDefenseStack LayeredDefense: invalid properties:/);
    expect(message.split('\n  - ')).toHaveLength(4);
  });
});
