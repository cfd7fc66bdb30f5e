import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VERIFIED_ACCESS, zeroTrustStack } from './fixture';
import { LATTICE_DATA_PLANE_CIDR } from '../../../lib/mesh';
import { idOf, ingressRules, isAddressSource, resourcesOf, routesOf, serviceSubnets } from '../../support/template-reading';

const INTERNAL = { domainName: 'mcp.example.com', internetFacing: false };

describe('ZeroTrustNetworkStack with Verified Access', () => {
  // GIVEN
  const { stack, template: synth } = zeroTrustStack({ endpoint: INTERNAL, verifiedAccess: VERIFIED_ACCESS });
  const template = synth();

  test('puts Verified Access in front of an internal load balancer in the ingress tier', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    template.hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', {
      EndpointType: 'load-balancer',
      ApplicationDomain: 'mcp.example.com',
      LoadBalancerOptions: {
        LoadBalancerArn: { Ref: idOf(stack.frontDoor.loadBalancer.loadBalancer) },
        Port: 443,
        Protocol: 'https',
        SubnetIds: stack.network.vpc.selectSubnets(stack.network.ingressSubnets).subnets.map((s) => ({ Ref: idOf(s) })),
      },
    });
    template.hasResourceProperties('AWS::EC2::VerifiedAccessTrustProvider', { TrustProviderType: 'user', UserTrustProviderType: 'oidc' });
  });

  // proves: zero-trust/micro-segmentation
  test('the load balancer admits only the Verified Access endpoint; the only address source left is the Lattice data plane', () => {
    const loadBalancer = idOf(stack.frontDoor.loadBalancer.securityGroup);
    const toLoadBalancer = ingressRules(template).filter((r) => r.group === loadBalancer);
    expect(toLoadBalancer).toEqual([{ group: loadBalancer, ports: '443-443/tcp', source: `sg:${idOf(stack.frontDoor.verifiedAccess!.securityGroup)}` }]);
    expect(ingressRules(template).filter(isAddressSource).map((r) => r.source)).toEqual([LATTICE_DATA_PLANE_CIDR]);
  });

  test('no tier but the Nat tier routes to the internet gateway', () => {
    const gatewayRoutes = Object.values(resourcesOf(template, 'AWS::EC2::Route')).filter((r) => r.Properties.GatewayId);
    const natTables = stack.network.vpc.selectSubnets(stack.network.natSubnets).subnets
      .map((s) => stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable));
    expect(gatewayRoutes.map((r) => r.Properties.RouteTableId.Ref).sort()).toEqual(natTables.sort());
  });

  test('encrypts what Verified Access stores with the data key, and logs access decisions with the log key', () => {
    template.hasResourceProperties('AWS::EC2::VerifiedAccessEndpoint', {
      SseSpecification: { CustomerManagedKeyEnabled: true, KmsKeyArn: { 'Fn::GetAtt': [idOf(stack.keys.data), 'Arn'] } },
    });
    template.hasResourceProperties('AWS::EC2::VerifiedAccessInstance', {
      LoggingConfigurations: { CloudWatchLogs: { Enabled: true }, IncludeTrustContext: true },
    });
  });
});

describe('ZeroTrustNetworkStack internal without Verified Access', () => {
  test('admits the VPC range to the load balancer by default, as a literal block', () => {
    const { stack, template } = zeroTrustStack({ endpoint: INTERNAL });
    const loadBalancer = idOf(stack.frontDoor.loadBalancer.securityGroup);
    expect(ingressRules(template()).filter((r) => r.group === loadBalancer)).toEqual([{ group: loadBalancer, ports: '443-443/tcp', source: '10.10.0.0/16' }]);
  });

  test('admits only the client peers given', () => {
    const { stack, template } = zeroTrustStack({ endpoint: INTERNAL, clientPeers: [ec2.Peer.ipv4('192.168.0.0/20')] });
    const loadBalancer = idOf(stack.frontDoor.loadBalancer.securityGroup);
    expect(ingressRules(template()).filter((r) => r.group === loadBalancer).map((r) => r.source)).toEqual(['192.168.0.0/20']);
  });
});

describe("ZeroTrustNetworkStack with serverEgress 'firewall'", () => {
  // GIVEN
  const { stack, template: synth } = zeroTrustStack({ serverEgress: 'firewall', allowedDomains: ['api.github.com', '.pypi.org'] });
  const template = synth();

  test('allows the authorization server and the domains given, nothing else', () => {
    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroup: {
        RulesSource: {
          RulesSourceList: {
            GeneratedRulesType: 'ALLOWLIST',
            Targets: ['.pypi.org', 'api.github.com', { 'Fn::Join': ['', ['cognito-idp.us-east-1.', { Ref: 'AWS::URLSuffix' }]] }],
          },
        },
      },
    });
  });

  test("moves the servers to the gateway's tier, whose only route out is the firewall endpoint", () => {
    const server = stack.servers.servers[0];
    const workload = stack.network.vpc.selectSubnets(stack.network.workloadSubnets).subnets;
    expect(serviceSubnets(template, idOf(server.service.service)).sort()).toEqual(workload.map(idOf).sort());
    for (const routes of routesOf(template, stack, workload).values()) {
      expect(routes.map((r) => Object.keys(r).filter((k) => k !== 'RouteTableId').sort())).toEqual([['DestinationCidrBlock', 'VpcEndpointId']]);
    }
  });

  test('keeps the isolated workload tier empty of tasks and without route', () => {
    const isolated = stack.network.vpc.selectSubnets(stack.network.isolatedWorkloadSubnets).subnets;
    const used = Object.keys(resourcesOf(template, 'AWS::ECS::Service')).flatMap((id) => serviceSubnets(template, id));
    expect(isolated.map(idOf).filter((id) => used.includes(id))).toEqual([]);
    expect([...routesOf(template, stack, isolated).values()].flat()).toEqual([]);
  });
});

describe('ZeroTrustNetworkStack with an external OpenID Connect issuer', () => {
  test("allows the issuer's and the JWKS URL's hosts only, and creates no user pool", () => {
    const { template } = zeroTrustStack({
      identity: { kind: 'oidc', issuer: 'https://login.example.com/oauth2/default', jwksUri: 'https://keys.example.com/jwks.json' },
    });
    const t = template();
    t.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroup: { RulesSource: { RulesSourceList: { Targets: ['keys.example.com', 'login.example.com'] } } },
    });
    t.resourceCountIs('AWS::Cognito::UserPool', 0);
  });
});
