import { Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { zeroTrustStack } from './fixture';
import { LATTICE_DATA_PLANE_CIDR } from '../../../lib/mesh';
import { idOf, ingressRules, isAddressSource, resourcesOf, routesOf, serviceSubnets } from '../../support/template-reading';
import { testServer } from '../shared/fixtures';

const COGNITO_HOST = { 'Fn::Join': ['', ['cognito-idp.us-east-1.', { Ref: 'AWS::URLSuffix' }]] };

describe('ZeroTrustNetworkStack defining controls (defaults, two servers)', () => {
  // GIVEN the pattern with its defaults and two servers on different ports
  const { stack, template: synth } = zeroTrustStack({ servers: [testServer('notes'), testServer('tickets', { port: 9090 })] });
  const template = synth();
  const [notes, tickets] = stack.servers.servers;
  const gatewayService = idOf(stack.gateway.service.service);
  const subnetIds = (selection?: ec2.SubnetSelection) => stack.network.vpc.selectSubnets(selection).subnets.map(idOf);

  // proves: zero-trust/micro-segmentation
  test('no security group admits an address range, except the load balancer on 443 and each server on its port from the Lattice data plane', () => {
    const fromAddresses = ingressRules(template).filter(isAddressSource);
    expect(fromAddresses.sort((a, b) => a.group.localeCompare(b.group))).toEqual([
      { group: idOf(stack.frontDoor.loadBalancer.securityGroup), ports: '443-443/tcp', source: '0.0.0.0/0' },
      { group: idOf(notes.service.securityGroup), ports: '8080-8080/tcp', source: LATTICE_DATA_PLANE_CIDR },
      { group: idOf(tickets.service.securityGroup), ports: '9090-9090/tcp', source: LATTICE_DATA_PLANE_CIDR },
    ].sort((a, b) => a.group.localeCompare(b.group)));
  });

  test('every other ingress rule names one peer security group: the load balancer, the gateway or a server', () => {
    const bySecurityGroup = ingressRules(template).filter((r) => !isAddressSource(r)).map((r) => `${r.group} ${r.ports} ${r.source}`);
    const sg = (group: ec2.ISecurityGroup) => idOf(group);
    const gateway = sg(stack.gateway.securityGroup);
    const endpoints = sg(stack.network.endpointSecurityGroup);
    expect(bySecurityGroup.sort()).toEqual([
      `${gateway} 8080-8080/tcp sg:${sg(stack.frontDoor.loadBalancer.securityGroup)}`,
      `${sg(stack.servers.clientSecurityGroup)} 443-443/tcp sg:${gateway}`,
      `${endpoints} 443-443/tcp sg:${gateway}`,
      `${endpoints} 443-443/tcp sg:${sg(notes.service.securityGroup)}`,
      `${endpoints} 443-443/tcp sg:${sg(tickets.service.securityGroup)}`,
    ].sort());
  });

  test('each server runs in a security group of its own, shared with no other service', () => {
    const groupsOf = Object.values(resourcesOf(template, 'AWS::ECS::Service'))
      .map((s) => s.Properties.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups.map((g: { 'Fn::GetAtt': [string, string] }) => g['Fn::GetAtt'][0]));
    expect(groupsOf).toHaveLength(3);
    expect(groupsOf.every((groups) => groups.length === 1)).toBe(true);
    expect(new Set(groupsOf.flat()).size).toBe(3);
    expect(groupsOf.flat()).toEqual(expect.arrayContaining([idOf(notes.service.securityGroup), idOf(tickets.service.securityGroup)]));
  });

  // proves: zero-trust/continuous-verification
  test('every Lattice service and the service network use AWS_IAM auth', () => {
    const services = Object.values(resourcesOf(template, 'AWS::VpcLattice::Service'));
    expect(services).toHaveLength(2);
    for (const resource of [...services, ...Object.values(resourcesOf(template, 'AWS::VpcLattice::ServiceNetwork'))]) {
      expect(resource.Properties.AuthType).toBe('AWS_IAM');
    }
  });

  test("each Lattice service's auth policy names only the gateway's task role, on the MCP path only", () => {
    for (const server of [notes, tickets]) {
      template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
        ResourceIdentifier: { 'Fn::GetAtt': [idOf(server.lattice), 'Id'] },
        Policy: {
          Statement: [{
            Effect: 'Allow',
            Principal: { AWS: [{ 'Fn::GetAtt': [idOf(stack.gateway.taskRole), 'Arn'] }] },
            Action: 'vpc-lattice-svcs:Invoke',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(server.lattice), 'Arn'] }, '/mcp']] },
            Condition: Match.anyValue(),
          }],
        },
      });
    }
  });

  test('the service network admits only authenticated principals of this account, and the VPC reaches it only from the gateway', () => {
    template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      ResourceIdentifier: { 'Fn::GetAtt': [idOf(stack.servers.serviceNetwork), 'Id'] },
      Policy: {
        Statement: [Match.objectLike({
          Condition: { StringEquals: { 'aws:PrincipalAccount': ['111111111111'] }, StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' } },
        })],
      },
    });
    template.hasResourceProperties('AWS::VpcLattice::ServiceNetworkVpcAssociation', {
      SecurityGroupIds: [{ 'Fn::GetAtt': [idOf(stack.servers.clientSecurityGroup), 'GroupId'] }],
    });
  });

  // proves: isolation/network
  test('servers run in subnets with no route at all: no internet gateway, NAT gateway or firewall', () => {
    const serverSubnets = [...new Set([notes, tickets].flatMap((s) => serviceSubnets(template, idOf(s.service.service))))];
    expect(serverSubnets.sort()).toEqual(subnetIds(stack.network.isolatedWorkloadSubnets).sort());
    const routes = routesOf(template, stack, stack.network.vpc.selectSubnets(stack.network.isolatedWorkloadSubnets).subnets);
    expect([...routes.values()].flat()).toEqual([]);
  });

  test("the only way out of the tasks' subnets is the firewall: the gateway's default route leads to its zone's firewall endpoint", () => {
    expect(serviceSubnets(template, gatewayService).sort()).toEqual(subnetIds(stack.network.workloadSubnets).sort());
    const gatewayRoutes = [...routesOf(template, stack, stack.network.vpc.selectSubnets(stack.network.workloadSubnets).subnets).values()];
    for (const routes of gatewayRoutes) {
      expect(routes).toEqual([{ RouteTableId: expect.anything(), DestinationCidrBlock: '0.0.0.0/0', VpcEndpointId: expect.anything() }]);
    }
    // NAT gateways are reached only from the firewall's own subnets.
    const natTables = Object.values(resourcesOf(template, 'AWS::EC2::Route')).filter((r) => r.Properties.NatGatewayId).map((r) => r.Properties.RouteTableId.Ref);
    const firewallTables = stack.network.vpc.selectSubnets(stack.network.firewallSubnets).subnets
      .map((s) => stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable));
    expect(natTables.sort()).toEqual(firewallTables.sort());
  });

  test("the firewall's allow-list holds only the authorization server's host, and everything else is dropped", () => {
    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroup: { RulesSource: { RulesSourceList: { GeneratedRulesType: 'ALLOWLIST', TargetTypes: ['TLS_SNI', 'HTTP_HOST'], Targets: [COGNITO_HOST] } } },
    });
    template.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: { StatelessDefaultActions: ['aws:forward_to_sfe'], StatefulDefaultActions: ['aws:drop_established_app_layer', 'aws:alert_established_app_layer'] },
    });
    template.resourceCountIs('AWS::NetworkFirewall::Firewall', 1);
    expect(stack.resolve(stack.gateway.configDocument).auth.jwksUri['Fn::Join'][1][0]).toBe('https://cognito-idp.us-east-1.');
  });

  test('reaches AWS APIs through VPC endpoints confined to this account (data perimeter), with no Cognito endpoint to shadow the public host', () => {
    const interfaces = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint')).filter((e) => e.Properties.VpcEndpointType === 'Interface');
    expect(interfaces.map((e) => e.Properties.ServiceName).some((name: string) => name.includes('cognito'))).toBe(false);
    for (const endpoint of Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'))) {
      expect(endpoint.Properties.PolicyDocument.Statement[0].Condition).toEqual({
        StringEquals: { 'aws:PrincipalAccount': '111111111111', 'aws:ResourceAccount': '111111111111' },
      });
    }
  });

  // proves: zero-trust/just-in-time, isolation/temporal
  test('access tokens live at most 15 minutes and sign-ins at most 8 hours', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
    expect(stack.resolve(stack.gateway.configDocument).tokens.ttlSeconds).toBe(300);
  });

  test("the gateway's adaptive risk scoring is on with the configured thresholds, and it mints audience-bound tokens with the KMS key", () => {
    const document = stack.resolve(stack.gateway.configDocument);
    expect(document.enforcement.risk).toEqual({ stepUpThreshold: 50, endSessionThreshold: 80 });
    expect(document.tokens.signer).toEqual({ kind: 'kms', keyId: { 'Fn::GetAtt': [idOf(stack.keys.signing), 'Arn'] } });
    expect(document.security).toEqual({ verifyAudience: true, validateOrigin: true, tokenPassthrough: false });
    expect(document.upstreams.map((u: { name: string }) => u.name)).toEqual(['notes', 'tickets']);
    expect(JSON.stringify(document.upstreams)).toContain(`"${idOf(notes.lattice)}","DnsEntry.DomainName"`);
  });

  test('the gateway signs every request to a Lattice service with SigV4 (AWS_IAM auth)', () => {
    const document = stack.resolve(stack.gateway.configDocument);
    expect(document.upstreams.map((u: { awsIam?: unknown }) => u.awsIam)).toEqual([{ region: 'us-east-1' }, { region: 'us-east-1' }]);
  });

  // proves: zero-trust/continuous-verification
  test("each server accepts only tokens the gateway signed for the server's own Lattice URL, and may only read the signing key's public key", () => {
    const resources = template.toJSON().Resources;
    for (const server of [notes, tickets]) {
      const environment = resources[idOf(server.service.taskDefinition)].Properties.ContainerDefinitions[0].Environment;
      const value = (name: string) => environment.find((e: { Name: string }) => e.Name === name)?.Value;
      expect(value('GATEWAY_SIGNING_KEY_ARN')).toEqual({ 'Fn::GetAtt': [idOf(stack.keys.signing), 'Arn'] });
      expect(value('GATEWAY_ISSUER')).toBe('https://mcp.example.com/mcp');
      expect(value('SERVER_AUDIENCE')).toEqual({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(server.lattice), 'DnsEntry.DomainName'] }, '/mcp']] });
      const statements = Object.values(resourcesOf(template, 'AWS::IAM::ManagedPolicy'))
        .filter((p) => JSON.stringify(p.Properties.Roles ?? []).includes(idOf(server.service.taskRole)))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      expect(statements).toEqual([{ Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: { 'Fn::GetAtt': [idOf(stack.keys.signing), 'Arn'] } }]);
    }
  });

  test('fronts the gateway with an internet-facing load balancer with the MCP web ACL, TLS 1.2+ only', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS', SslPolicy: Match.stringLikeRegexp('TLS13') });
    template.resourceCountIs('AWS::EC2::VerifiedAccessEndpoint', 0);
  });
});
