import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  crossAccountGateway, errorOf, federatedGateway, HUB_ACCOUNT, logicalIdOf, resourcesOf, sameAccountGateway,
  SPOKE_ACCOUNT, stableTemplate, TICKETS_ENDPOINT,
} from './fixtures';
import { expectControlTowerClean } from '../../support/cfn-guard';
import { expectGateClean } from '../../support/gate';
import { testServer } from '../shared/fixtures';

const GATEWAY_ROLE_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${HUB_ACCOUNT}:role/mcp-test-federated-gateway`]] };

describe('createFederatedGateway: hub and spoke in one account and region', () => {
  // GIVEN servers notes (8080) and tickets (9090) that name no spoke
  const { app, hub: maybeHub, spokes } = sameAccountGateway();
  const hub = maybeHub!;
  const [spoke] = spokes;
  const hubTemplate = Template.fromStack(hub);
  const spokeTemplate = Template.fromStack(spoke);

  test('puts the servers in one default spoke in the hub\'s environment, deployed before the hub', () => {
    expect(spokes.map((s) => s.stackName)).toEqual(['mcp-test-federated-spoke-default']);
    expect(spoke.servers.map((s) => s.node.id)).toEqual(['notes', 'tickets']);
    expect([spoke.account, spoke.region]).toEqual([hub.account, hub.region]);
    // Every reference goes from spoke to hub: one `cdk deploy --all`, no cycle.
    expect(hub.dependencies).toContain(spoke);
    expect(spoke.dependencies).not.toContain(hub);
  });

  // proves: isolation/network
  test('gives no MCP server task a public IP or an internet path: no internet gateway, NAT, route or load balancer in the spoke', () => {
    for (const type of ['AWS::EC2::InternetGateway', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::Route', 'AWS::ElasticLoadBalancingV2::LoadBalancer']) {
      spokeTemplate.resourceCountIs(type, 0);
    }
    spokeTemplate.resourceCountIs('AWS::ECS::Service', 2);
    spokeTemplate.allResourcesProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    spokeTemplate.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
  });

  test('has one internet-facing load balancer in the whole app, the hub\'s, behind the MCP web ACL', () => {
    const internetFacing = app.node.findAll().filter(Stack.isStack).flatMap((stack) => Object.keys(
      Template.fromStack(stack).findResources('AWS::ElasticLoadBalancingV2::LoadBalancer', { Properties: { Scheme: 'internet-facing' } }),
    ).map((id) => `${stack.stackName}/${id}`));
    expect(internetFacing).toEqual([`${hub.stackName}/${logicalIdOf(hub.platform.frontDoor.loadBalancer)}`]);
    hubTemplate.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  // proves: zero-trust/micro-segmentation
  test('admits only the VPC Lattice data plane to each server, on its own port', () => {
    const groups = resourcesOf(spokeTemplate, 'AWS::EC2::SecurityGroup');
    for (const [server, port] of [[spoke.servers[0], 8080], [spoke.servers[1], 9090]] as const) {
      expect(groups[logicalIdOf(server.service.securityGroup)].Properties.SecurityGroupIngress).toEqual([
        { CidrIp: '169.254.171.0/24', Description: 'MCP traffic from the named peer', FromPort: port, IpProtocol: 'tcp', ToPort: port },
      ]);
    }
    spokeTemplate.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  // proves: zero-trust/continuous-verification
  test('authenticates every request with IAM: the service network and every Lattice service use AWS_IAM', () => {
    hubTemplate.resourceCountIs('AWS::VpcLattice::ServiceNetwork', 1);
    hubTemplate.allResourcesProperties('AWS::VpcLattice::ServiceNetwork', { AuthType: 'AWS_IAM' });
    spokeTemplate.resourceCountIs('AWS::VpcLattice::Service', 2);
    spokeTemplate.allResourcesProperties('AWS::VpcLattice::Service', { AuthType: 'AWS_IAM' });
    hubTemplate.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: { Statement: [Match.objectLike({ Condition: Match.objectLike({ StringEquals: { 'aws:PrincipalAccount': [HUB_ACCOUNT] } }) })] },
    });
  });

  // proves: zero-trust/least-privilege
  test('names only the hub gateway\'s role in each service\'s auth policy, the role the gateway runs as', () => {
    const policies = Object.values(resourcesOf(spokeTemplate, 'AWS::VpcLattice::AuthPolicy'));
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect((policy.Properties.Policy as { Statement: unknown[] }).Statement).toEqual([
        expect.objectContaining({ Effect: 'Allow', Principal: { AWS: [GATEWAY_ROLE_ARN] }, Action: 'vpc-lattice-svcs:Invoke' }),
      ]);
    }
    hubTemplate.hasResourceProperties('AWS::IAM::Role', { RoleName: 'mcp-test-federated-gateway' });
    hubTemplate.hasResourceProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: { 'Fn::GetAtt': [logicalIdOf(hub.gateway.taskRole), 'Arn'] },
    });
  });

  test('lets the gateway invoke exactly the MCP endpoint of each upstream', () => {
    const invokes = Object.values(resourcesOf(hubTemplate, 'AWS::IAM::ManagedPolicy'))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Array<{ Action: unknown; Resource: unknown }> }).Statement)
      .filter((statement) => statement.Action === 'vpc-lattice-svcs:Invoke');
    expect(invokes.map((statement) => hub.resolve(statement.Resource))).toEqual(spoke.endpoints.map((endpoint) => ({
      'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringContaining(`${logicalIdOf(spoke.servers[spoke.endpoints.indexOf(endpoint)].lattice.service)}Arn`) }, '/mcp']],
    })));
  });

  test('calls each server at its Lattice URL with SigV4-signed requests and associates every service with the hub\'s network', () => {
    const upstreams = hub.resolve(hub.gateway.configDocument.upstreams) as Array<{ name: string; url: unknown; awsIam?: unknown }>;
    expect(upstreams.map((u) => u.name)).toEqual(['notes', 'tickets']);
    for (const upstream of upstreams) {
      expect(upstream.url).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::ImportValue': expect.stringContaining('DnsEntryDomainName') }, '/mcp']] });
      expect(upstream.awsIam).toEqual({ region: 'us-east-1' });
    }
    hubTemplate.resourceCountIs('AWS::VpcLattice::ServiceNetworkServiceAssociation', 2);
    hubTemplate.allResourcesProperties('AWS::VpcLattice::ServiceNetworkServiceAssociation', {
      ServiceNetworkIdentifier: { 'Fn::GetAtt': [logicalIdOf(hub.serviceNetwork.serviceNetwork), 'Id'] },
      ServiceIdentifier: { 'Fn::ImportValue': Match.stringLikeRegexp('LatticeService|Lattice.*Arn') },
    });
  });

  // proves: isolation/network
  test('lets only the gateway reach the service network from the hub VPC, on 443', () => {
    hubTemplate.hasResourceProperties('AWS::VpcLattice::ServiceNetworkVpcAssociation', {
      SecurityGroupIds: [{ 'Fn::GetAtt': [logicalIdOf(hub.latticeClients), 'GroupId'] }],
    });
    const rules = Object.values(resourcesOf(hubTemplate, 'AWS::EC2::SecurityGroupIngress'))
      .filter((rule) => JSON.stringify(rule.Properties.GroupId).includes(logicalIdOf(hub.latticeClients)));
    expect(rules.map((rule) => rule.Properties)).toEqual([expect.objectContaining({
      FromPort: 443,
      ToPort: 443,
      SourceSecurityGroupId: { 'Fn::GetAtt': [logicalIdOf(hub.gateway.securityGroup), 'GroupId'] },
    })]);
    expect(resourcesOf(hubTemplate, 'AWS::EC2::SecurityGroup')[logicalIdOf(hub.latticeClients)].Properties.SecurityGroupIngress).toBeUndefined();
  });

  // proves: zero-trust/continuous-verification
  test('tells each server to accept only gateway tokens minted for its own Lattice URL', () => {
    const notes = spoke.servers[0];
    const taskDefinition = resourcesOf(spokeTemplate, 'AWS::ECS::TaskDefinition')[logicalIdOf(notes.service.taskDefinition)];
    const [container] = taskDefinition.Properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
    const environment = container.Environment.map((e) => ({ name: e.Name, value: e.Value }));
    expect(Object.fromEntries(environment.map((e) => [e.name, e.value]))).toEqual({
      PORT: '8080',
      MCP_PATH: '/mcp',
      GATEWAY_ISSUER: 'https://mcp.example.com/mcp',
      GATEWAY_SIGNING_KEY_ARN: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:us-east-1:${HUB_ACCOUNT}:alias/mcp-test/signing`]] },
      SERVER_AUDIENCE: spoke.resolve(notes.endpoint.url),
    });
  });

  test('shares nothing over RAM when hub and spoke share an account', () => {
    hubTemplate.resourceCountIs('AWS::RAM::ResourceShare', 0);
    spokeTemplate.resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  test('is gate clean in the hub', () => {
    expectGateClean(hub);
  });

  test('is gate clean in the spoke', () => {
    expectGateClean(spoke);
  });

  test('is Control Tower clean', () => {
    expectControlTowerClean(hub, spoke);
  });

  test('matches the snapshots', () => {
    expect(stableTemplate(hub)).toMatchSnapshot('hub');
    expect(stableTemplate(spoke)).toMatchSnapshot('spoke');
  });
});

describe('createFederatedGateway: a spoke in another account', () => {
  // GIVEN notes in the default spoke, tickets in spoke payments of another account, whose
  // deployment printed TICKETS_ENDPOINT
  const { hub: maybeHub, spokes } = crossAccountGateway({ remoteEndpoints: [TICKETS_ENDPOINT] });
  const hub = maybeHub!;
  const payments = spokes.find((s) => s.stackName === 'mcp-test-federated-spoke-payments')!;
  const hubTemplate = Template.fromStack(hub);
  const paymentsTemplate = Template.fromStack(payments);

  test('shares the spoke\'s services with the hub account only, never outside the organization', () => {
    paymentsTemplate.resourceCountIs('AWS::RAM::ResourceShare', 1);
    paymentsTemplate.hasResourceProperties('AWS::RAM::ResourceShare', {
      AllowExternalPrincipals: false,
      Principals: [HUB_ACCOUNT],
      ResourceArns: [{ 'Fn::GetAtt': [logicalIdOf(payments.servers[0].lattice.service), 'Arn'] }],
    });
    hubTemplate.resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  test('names the hub account\'s gateway role in the spoke without any reference to the hub', () => {
    paymentsTemplate.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: { Statement: [Match.objectLike({ Principal: { AWS: [GATEWAY_ROLE_ARN] } })] },
    });
    expect(payments.dependencies).toEqual([]);
    expect(hub.dependencies).not.toContain(payments);
  });

  test('configures the hub with the endpoint the spoke printed', () => {
    hubTemplate.hasResourceProperties('AWS::VpcLattice::ServiceNetworkServiceAssociation', { ServiceIdentifier: TICKETS_ENDPOINT.serviceArn });
    expect(hub.resolve(hub.gateway.configDocument.upstreams)).toContainEqual(expect.objectContaining({ name: 'tickets', url: TICKETS_ENDPOINT.url }));
    expect(JSON.stringify(hubTemplate.findResources('AWS::IAM::ManagedPolicy'))).toContain(`"${TICKETS_ENDPOINT.serviceArn}/mcp"`);
  });

  test('lets the spoke account read only the public key of the gateway\'s signing key, through its own KMS endpoint', () => {
    hubTemplate.hasResourceProperties('AWS::KMS::Key', {
      KeySpec: 'ECC_NIST_P256',
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'SpokeAccountsReadTheTokenVerificationKey',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SPOKE_ACCOUNT}:root`]] } },
          Action: 'kms:GetPublicKey',
        })]),
      },
    });
    paymentsTemplate.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.us-east-1.kms',
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:GetPublicKey',
          Condition: {
            'StringEquals': { 'aws:PrincipalAccount': SPOKE_ACCOUNT },
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/mcp-test/signing'] },
          },
        })]),
      },
    });
  });

  test('outputs the URL and service ARN of each server for the hub\'s configuration', () => {
    paymentsTemplate.hasOutput('TicketsUrl', { Value: Match.anyValue() });
    paymentsTemplate.hasOutput('TicketsServiceArn', { Value: { 'Fn::GetAtt': [logicalIdOf(payments.servers[0].lattice.service), 'Arn'] } });
  });

  test('is gate clean in the spoke, with the alias-conditioned read of the hub\'s key acknowledged', () => {
    expectGateClean(payments);
  });
});

describe('createFederatedGateway: before the spoke in another account is deployed', () => {
  test('leaves its servers out of the gateway, with a warning on the spoke naming them', () => {
    const { hub, spokes } = crossAccountGateway();
    expect(hub!.resolve(hub!.gateway.configDocument.upstreams).map((u: { name: string }) => u.name)).toEqual(['notes']);
    Annotations.fromStack(spokes.find((s) => s.stackName.endsWith('payments'))!)
      .hasWarning('*', Match.stringLikeRegexp('leaves out tickets until this stack is deployed and its outputs are given as remoteEndpoints'));
  });

  test('creates no hub while every server waits for its endpoint', () => {
    const { hub, spokes } = federatedGateway({
      servers: [testServer('tickets', { spoke: 'payments' })],
      spokes: [{ name: 'payments', env: { account: SPOKE_ACCOUNT, region: 'us-east-1' } }],
    });
    expect(hub).toBeUndefined();
    expect(spokes.map((s) => s.stackName)).toEqual(['mcp-test-federated-spoke-payments']);
  });
});

describe('createFederatedGateway validation', () => {
  test('fails with a spoke outside the hub\'s region, saying why', () => {
    expect(errorOf(() => crossAccountGateway({ spokes: [{ name: 'payments', env: { account: SPOKE_ACCOUNT, region: 'eu-west-1' } }] })))
      .toMatch(/spokes: 'payments' is in region 'eu-west-1' but the hub is in 'us-east-1'; VPC Lattice service networks are regional/);
  });

  test('fails when a server names a spoke that is not declared', () => {
    expect(errorOf(() => federatedGateway({ servers: [testServer('notes', { spoke: 'billing' })] })))
      .toMatch(/servers: 'notes' names spoke 'billing', which is not one of spokes \(\)/);
  });

  test('fails with a spoke declared twice, or hosting no server, listing every problem at once', () => {
    const message = errorOf(() => federatedGateway({
      servers: [testServer('notes')],
      spokes: [{ name: 'payments' }, { name: 'payments' }],
    }));
    expect(message).toMatch(/^Federated gateway 'mcp-test': invalid properties:/);
    expect(message).toMatch(/spokes: 'payments' is declared more than once/);
    expect(message).toMatch(/spokes: 'payments' hosts no server; give servers spoke: 'payments' or remove it/);
  });

  test('fails with a remote endpoint for a server that is not in another account', () => {
    expect(errorOf(() => crossAccountGateway({ remoteEndpoints: [TICKETS_ENDPOINT, { ...TICKETS_ENDPOINT, server: 'notes' }] })))
      .toMatch(/remoteEndpoints: 'notes' is not a server of a spoke in another account \(tickets\)/);
  });

  test('fails when a spoke names an account and the hub does not', () => {
    expect(errorOf(() => crossAccountGateway({ env: { region: 'us-east-1' } })))
      .toMatch(/env.account of the hub must be set when spoke 'payments' names an account/);
  });
});
