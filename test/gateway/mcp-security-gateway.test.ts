import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { deployedConfig, onlyResource } from './cfn-values';
import { endpoint, gatewayFixture, mcpGateway } from './fixture';
import { declaredPrinciples } from '../../lib/core';
import { McpLatticeService } from '../../lib/mesh';
import { DEFAULT_POLICY_DIR, loadPolicyDirectory } from '../../runtime/gateway/src/enforcement/authz/policy-loader';

const ref = (construct: IConstruct) => ({ Ref: Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement) });
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement), 'Arn'] });

describe('McpSecurityGateway service', () => {
  test('runs two Fargate tasks that autoscale to four, registered in the load balancer on port 8080', () => {
    // GIVEN
    const fixture = gatewayFixture();

    // WHEN
    mcpGateway(fixture);

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      LoadBalancers: [{ ContainerName: 'mcp-server', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp('^SubjectEndpointGateway') } }],
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '512', Memory: '1024' });
  });

  test('takes the task count, scaling ceiling and task size from props', () => {
    const fixture = gatewayFixture();
    mcpGateway(fixture, { desiredCount: 3, maxCapacity: 9, cpu: 1024, memoryLimitMiB: 2048 });
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 9 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048' });
  });

  // proves: isolation/network
  test('is reached over HTTP from the load balancer only, health-checked on /healthz', () => {
    // GIVEN
    const fixture = gatewayFixture();
    const loadBalancer = endpoint(fixture);

    // WHEN
    const gateway = mcpGateway(fixture, { loadBalancer });

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/healthz',
      HealthCheckProtocol: 'HTTP',
      Matcher: { HttpCode: '200' },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: Match.arrayWith([{ Field: 'path-pattern', PathPatternConfig: { Values: Match.arrayWith(['/healthz']) } }]),
    });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    const groupIdOf = (group: IConstruct) => ({ 'Fn::GetAtt': [Stack.of(group).getLogicalId(group.node.defaultChild as CfnElement), 'GroupId'] });
    expect(ingress).toEqual([expect.objectContaining({
      GroupId: groupIdOf(gateway.securityGroup),
      SourceSecurityGroupId: groupIdOf(loadBalancer.securityGroup),
      IpProtocol: 'tcp',
      FromPort: 8080,
      ToPort: 8080,
    })]);
  });

  test('exposes the service, its role, security group, connections and target group', () => {
    const fixture = gatewayFixture();
    const gateway = mcpGateway(fixture);
    expect(gateway.taskRole).toBe(gateway.service.taskRole);
    expect(gateway.grantPrincipal).toBe(gateway.service.taskRole);
    expect(gateway.securityGroup).toBe(gateway.service.securityGroup);
    expect(gateway.connections).toBe(gateway.service.connections);
    expect(gateway.targetGroup.node.path).toBe('Test/Subject/Endpoint/Gateway');
    expect(gateway.node.defaultChild).toBe(gateway.service);
  });
});

describe('McpSecurityGateway task role', () => {
  // proves: zero-trust/least-privilege, secure-by-default/minimal-permissions
  test('may only sign ES256 with the signing key, read its public key and generate audit data keys in its own context', () => {
    // GIVEN
    const fixture = gatewayFixture();

    // WHEN
    const gateway = mcpGateway(fixture, { gatewayName: 'prod-gateway' });

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(gateway.taskRole)],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SignUpstreamTokens',
            Effect: 'Allow',
            Action: 'kms:Sign',
            Resource: arnOf(fixture.keys.signing),
            Condition: { StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } },
          },
          { Sid: 'PublishTokenVerificationKey', Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: arnOf(fixture.keys.signing) },
          {
            Sid: 'EncryptAuditPayloads',
            Effect: 'Allow',
            Action: 'kms:GenerateDataKey',
            Resource: arnOf(fixture.keys.data),
            Condition: {
              'StringEquals': { 'kms:EncryptionContext:purpose': 'mcp-audit-payload', 'kms:EncryptionContext:gateway': 'prod-gateway' },
              'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['purpose', 'gateway', 'chain'] },
            },
          },
        ],
      },
    });
    // No other policy reaches the task role.
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy', { Properties: { Roles: [ref(gateway.taskRole)] } }));
    expect(policies).toHaveLength(1);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'MCP server task role: no permissions unless granted',
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  // proves: zero-trust/least-privilege
  test('is allowed to invoke a VPC Lattice upstream, in the upstream\'s auth policy and in its own policy', () => {
    // GIVEN
    const fixture = gatewayFixture();
    const notes = new McpLatticeService(fixture.subject, 'Notes', { name: 'notes', vpc: fixture.vpc, port: 8080, logKey: fixture.keys.logs });

    // WHEN
    const gateway = mcpGateway(fixture, { upstreams: [{ name: 'notes', url: notes.url, access: notes }] });

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: { Statement: [Match.objectLike({ Principal: { AWS: [arnOf(gateway.taskRole)] }, Action: 'vpc-lattice-svcs:Invoke' })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(gateway.taskRole)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Allow', Action: 'vpc-lattice-svcs:Invoke' })]) },
    });
    const config = JSON.parse(deployedConfig(template));
    expect(config.upstreams).toEqual([{ name: 'notes', url: expect.stringMatching(/^https:\/\/SubjectNotes\w+\.DnsEntry\.DomainName\/mcp$/), timeoutMs: 30_000, awsIam: { region: 'us-east-1' } }]);
  });
});

describe('McpSecurityGateway quarantine requests', () => {
  // proves: defense-in-depth/monitoring, zero-trust/least-privilege
  test('may put Quarantine Task events from mcp-kit.incident on the given bus only, and tells the runtime which service runs each upstream', () => {
    // GIVEN
    const fixture = gatewayFixture();
    const bus = new events.EventBus(fixture.subject, 'Incidents');
    const notes = ecs.FargateService.fromServiceArnWithCluster(fixture.stack, 'NotesService', 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes');

    // WHEN
    const gateway = mcpGateway(fixture, {
      quarantineRequestBus: bus,
      upstreams: [{ name: 'notes', url: 'https://notes.internal.example.com/mcp', ecsService: notes }, { name: 'github', url: 'https://github-mcp.internal.example.com/mcp' }],
    });

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(gateway.taskRole)],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'RequestQuarantineOfUpstreams',
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: arnOf(bus),
          Condition: { StringEquals: { 'events:source': 'mcp-kit.incident', 'events:detail-type': 'Quarantine Task' } },
        }]),
      },
    });
    const config = JSON.parse(deployedConfig(template));
    expect(config.incidents).toEqual({ quarantineRequests: { enabled: true, eventBusArn: expect.stringMatching(/^arn:aws:events:us-east-1:111111111111:event-bus\/SubjectIncidents/) } });
    expect(config.upstreams.map((u: { name: string; ecsServiceArn?: string }) => [u.name, u.ecsServiceArn])).toEqual([
      ['notes', 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes'], ['github', undefined],
    ]);
  });

  test('without a bus, the task role has no events permission and the runtime sends no request', () => {
    const fixture = gatewayFixture();
    mcpGateway(fixture);
    const template = Template.fromStack(fixture.stack);
    expect(JSON.stringify(template.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('events:PutEvents');
    expect(JSON.parse(deployedConfig(template)).incidents).toBeUndefined();
  });
});

describe('McpSecurityGateway configuration and secrets', () => {
  test('passes the configuration document as plain environment and the session key from Secrets Manager', () => {
    // GIVEN
    const fixture = gatewayFixture();

    // WHEN
    const gateway = mcpGateway(fixture);

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Environment: [{ Name: 'MCP_GATEWAY_CONFIG', Value: Match.anyValue() }],
        Secrets: [{ Name: 'MCP_GATEWAY_SESSION_KEY', ValueFrom: ref(gateway.sessionKey) }],
      })],
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: arnOf(fixture.keys.secrets),
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(gateway.service.executionRole)],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: ref(gateway.sessionKey),
        }]),
      },
    });
  });

  test('publishes the configuration document in an SSM String parameter, tiered by size', () => {
    const fixture = gatewayFixture();
    const gateway = mcpGateway(fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::SSM::Parameter', { Type: 'String', Tier: 'Intelligent-Tiering' });
    expect(JSON.parse(deployedConfig(template))).toMatchObject({ mode: 'production', server: { tls: { mode: 'load-balancer' } } });
    expect(gateway.configParameter.node.path).toBe('Test/Subject/Gateway/Config');
  });

  // proves: defense-in-depth/authorization
  test('deploys the Cedar schema and policies it evaluates to a STRICT Verified Permissions policy store', () => {
    // GIVEN
    const fixture = gatewayFixture();

    // WHEN
    const gateway = mcpGateway(fixture);

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::VerifiedPermissions::PolicyStore', {
      ValidationSettings: { Mode: 'STRICT' },
      Schema: { CedarJson: Match.stringLikeRegexp('McpGateway') },
    });
    // The same policy set the runtime loads from its policy directory.
    const evaluated = Object.values(loadPolicyDirectory(DEFAULT_POLICY_DIR).policies);
    const deployed = Object.values(template.findResources('AWS::VerifiedPermissions::Policy')).map((r) => r.Properties.Definition.Static.Statement);
    expect(evaluated.length).toBeGreaterThan(0);
    expect(deployed.sort()).toEqual([...evaluated].sort());
    expect(gateway.policyStore.policyCount).toBe(evaluated.length);
  });

  // proves: observability, defense-in-depth/authorization
  test('tells the runtime the id of that policy store, so audit records and readiness name it', () => {
    // GIVEN
    const fixture = gatewayFixture();

    // WHEN
    const gateway = mcpGateway(fixture);

    // THEN: the document holds the store's deployed id, a reference CloudFormation resolves
    const template = Template.fromStack(fixture.stack);
    const storeId = Stack.of(gateway).getLogicalId(gateway.policyStore.policyStore);
    const parameter = JSON.stringify(onlyResource(template, 'AWS::SSM::Parameter').properties.Value);
    expect(parameter).toContain(JSON.stringify({ 'Fn::GetAtt': [storeId, 'PolicyStoreId'] }));
    expect(JSON.parse(deployedConfig(template)).enforcement.authorization).toEqual({ rules: [], policyStoreId: `PS${storeId}` });
  });

  test('builds its image from runtime/gateway/Dockerfile by default', () => {
    const fixture = gatewayFixture();
    mcpGateway(fixture, { image: undefined });
    const image = (onlyResource(Template.fromStack(fixture.stack), 'AWS::ECS::TaskDefinition').properties.ContainerDefinitions as Array<{ Image: unknown }>)[0].Image;
    expect(JSON.stringify(image)).toMatch(/cdk-hnb659fds-container-assets/);
  });

});

// proves: secure-by-default/logging, observability, defense-in-depth/monitoring
describe('McpSecurityGateway audit records', () => {
  test('go to a KMS-encrypted log group kept a year, counted by metric filters, without alarms by default', () => {
    // GIVEN
    const fixture = gatewayFixture();

    // WHEN
    const gateway = mcpGateway(fixture);

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: arnOf(fixture.keys.logs), RetentionInDays: 365 });
    expect(gateway.service.logGroup).toBe(gateway.auditLogGroup);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ LogConfiguration: Match.objectLike({ Options: Match.objectLike({ 'awslogs-group': ref(gateway.auditLogGroup.logGroup) }) }) })],
    });
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((r) => r.Properties);
    expect(filters.map((f) => [f.MetricTransformations[0].MetricName, f.FilterPattern])).toEqual([
      ['Denials', '{ ($.type = "mcp.audit") && ($.decision = "deny") }'],
      ['GuardrailBlocks', '{ ($.type = "mcp.audit") && ($.rpcErrorCode = -32004) }'],
      ['AuditFailures', '{ ($.level = "error") && ($.msg = "audit record*") }'],
    ]);
    expect(filters.every((f) => f.LogGroupName.Ref === ref(gateway.auditLogGroup.logGroup).Ref)).toBe(true);
    expect(filters.every((f) => f.MetricTransformations[0].MetricNamespace === 'McpSecurityGateway/mcp-gateway')).toBe(true);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('raise alarms to the given topic on any audit failure or guardrail block, and on many denials', () => {
    // GIVEN
    const fixture = gatewayFixture();
    const topic = new sns.Topic(fixture.stack, 'Alarms');

    // WHEN
    const gateway = mcpGateway(fixture, { alarmTopic: topic, denialAlarmThreshold: 25, auditLogRetention: logs.RetentionDays.TEN_YEARS });

    // THEN
    const template = Template.fromStack(fixture.stack);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);
    expect(alarms.map((a) => [a.MetricName, a.Threshold, a.ComparisonOperator, a.Period, a.Statistic])).toEqual([
      ['Denials', 25, 'GreaterThanOrEqualToThreshold', 300, 'Sum'],
      ['GuardrailBlocks', 1, 'GreaterThanOrEqualToThreshold', 300, 'Sum'],
      ['AuditFailures', 1, 'GreaterThanOrEqualToThreshold', 300, 'Sum'],
    ]);
    expect(alarms.every((a) => JSON.stringify(a.AlarmActions) === JSON.stringify([ref(topic)]) && a.TreatMissingData === 'notBreaching')).toBe(true);
    expect(gateway.alarms).toHaveLength(3);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: arnOf(fixture.keys.logs), RetentionInDays: 3653 });
  });

  test('exposes the audit metrics', () => {
    const fixture = gatewayFixture();
    const gateway = mcpGateway(fixture, { gatewayName: 'prod-gateway' });
    expect(gateway.auditMetrics.auditFailures.toMetricConfig().metricStat).toMatchObject({ namespace: 'McpSecurityGateway/prod-gateway', metricName: 'AuditFailures', statistic: 'Sum' });
    expect(gateway.auditMetrics.denials.toMetricConfig().metricStat?.metricName).toBe('Denials');
    expect(gateway.auditMetrics.guardrailBlocks.toMetricConfig().metricStat?.metricName).toBe('GuardrailBlocks');
  });
});

describe('McpSecurityGateway principles', () => {
  test('declares the principles it implements', () => {
    const fixture = gatewayFixture();
    const gateway = mcpGateway(fixture);
    expect(declaredPrinciples(gateway)).toEqual([
      'zero-trust/continuous-verification',
      'zero-trust/least-privilege',
      'zero-trust/just-in-time',
      'defense-in-depth/authorization',
      'defense-in-depth/application',
      'defense-in-depth/monitoring',
      'secure-by-default/fail-secure',
      'secure-by-default/logging',
      'observability',
    ]);
  });
});
