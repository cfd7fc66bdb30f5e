import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AclUnderTest, connects, Endpoint, hostIn } from './nacl-simulator';
import { KeyRing } from '../../lib/encryption';
import { SegmentedVpc, SegmentedVpcProps } from '../../lib/network';
import { cfnGuardStacks, formatGuardFailures } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';
import { resourcesOf, routesOf } from '../support/template-reading';

const ZONES = ['us-east-1a', 'us-east-1b'];
const INTERNET = '203.0.113.7';

function stackWithVpc(options: Partial<SegmentedVpcProps> = {}) {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const network = new SegmentedVpc(stack, 'Network', { flowLogEncryptionKey: keys.logs, egress: 'firewall', availabilityZones: ZONES, ...options });
  return { stack, keys, network };
}

/** A firewall-mode VPC with its firewall added, allowing one host. */
function build(options: Partial<SegmentedVpcProps> = {}) {
  const built = stackWithVpc(options);
  const firewall = built.network.addEgressFirewall('Egress', { allowedDomains: ['cognito-idp.us-east-1.amazonaws.com'] });
  return { ...built, firewall, template: Template.fromStack(built.stack) };
}

function subnetsOf(network: SegmentedVpc, selection: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
  return network.vpc.selectSubnets(selection).subnets;
}

describe("SegmentedVpc egress 'firewall' layout", () => {
  test('adds an isolated workload tier and the /28 Nat and Firewall tiers in every zone, each NAT gateway in the Nat tier', () => {
    // GIVEN / WHEN
    const { network, template, stack } = build();
    // THEN
    const cidrs = (selection?: ec2.SubnetSelection) => subnetsOf(network, selection).map((s) => s.ipv4CidrBlock);
    expect(cidrs(network.natSubnets).every((c) => c.endsWith('/28'))).toBe(true);
    expect(cidrs(network.firewallSubnets).every((c) => c.endsWith('/28'))).toBe(true);
    for (const selection of [network.ingressSubnets, network.workloadSubnets, network.isolatedWorkloadSubnets, network.dataSubnets]) {
      expect(subnetsOf(network, selection).map((s) => s.availabilityZone)).toEqual(ZONES);
    }
    expect(network.vpc.publicSubnets).toEqual([...subnetsOf(network, network.ingressSubnets), ...subnetsOf(network, network.natSubnets)]);
    expect(network.vpc.privateSubnets).toEqual(subnetsOf(network, network.firewallSubnets));
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    const natSubnetIds = subnetsOf(network, network.natSubnets).map((s) => stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet));
    for (const nat of Object.values(resourcesOf(template, 'AWS::EC2::NatGateway'))) {
      expect(natSubnetIds).toContain(nat.Properties.SubnetId.Ref);
    }
  });

  test('leaves the layout of egress none as it was: three tiers at the same ranges', () => {
    // Deployed VPCs must not see their subnets replaced by an upgrade of the kit.
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const network = new SegmentedVpc(stack, 'Network', { flowLogEncryptionKey: new KeyRing(stack, 'Keys').logs });
    expect(network.isolatedWorkloadSubnets).toBeUndefined();
    expect(network.firewallSubnets).toBeUndefined();
    expect(network.natSubnets).toBeUndefined();
    const cidrs = (selection: ec2.SubnetSelection) => subnetsOf(network, selection).map((s) => s.ipv4CidrBlock);
    expect([cidrs(network.ingressSubnets), cidrs(network.workloadSubnets), cidrs(network.dataSubnets)]).toEqual([
      ['10.0.0.0/19', '10.0.32.0/19'], ['10.0.64.0/19', '10.0.96.0/19'], ['10.0.128.0/19', '10.0.160.0/19'],
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::EC2::Subnet', 6);
  });
});

describe("SegmentedVpc egress 'firewall' routes", () => {
  // proves: isolation/network, secure-by-default/fail-secure
  test('the workload tier goes out through the firewall endpoint of its zone; isolated workload and data tiers have no route out', () => {
    // GIVEN
    const { network, stack, template, firewall } = build();
    // THEN
    const workload = routesOf(template, stack, subnetsOf(network, network.workloadSubnets));
    for (const routes of workload.values()) {
      expect(routes).toEqual([{ RouteTableId: expect.anything(), DestinationCidrBlock: '0.0.0.0/0', VpcEndpointId: expect.anything() }]);
    }
    const sealed = [...subnetsOf(network, network.isolatedWorkloadSubnets), ...subnetsOf(network, network.dataSubnets)];
    const isolated = routesOf(template, stack, sealed);
    expect([...isolated.values()].flat()).toEqual([]);
    expect(firewall.availabilityZones).toEqual(ZONES);
    expect(network.egressFirewall).toBe(firewall);
  });

  test('only the firewall subnets route to the NAT gateways, and the Nat tier returns replies through the firewall', () => {
    const { network, stack, template } = build();
    const natRoutes = Object.values(resourcesOf(template, 'AWS::EC2::Route')).filter((r) => r.Properties.NatGatewayId);
    const firewallTables = subnetsOf(network, network.firewallSubnets).map((s) => stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable));
    expect(natRoutes.map((r) => r.Properties.RouteTableId.Ref).sort()).toEqual(firewallTables.sort());

    const workloadCidrs = subnetsOf(network, network.workloadSubnets).map((s) => s.ipv4CidrBlock);
    for (const routes of routesOf(template, stack, subnetsOf(network, network.natSubnets)).values()) {
      expect(routes.filter((r) => r.GatewayId).map((r) => r.DestinationCidrBlock)).toEqual(['0.0.0.0/0']);
      expect(routes.filter((r) => r.VpcEndpointId).map((r) => r.DestinationCidrBlock).sort()).toEqual([...workloadCidrs].sort());
    }
  });

  test('an internal ingress tier has no route out, while the Nat tier keeps the internet gateway', () => {
    const { network, stack, template } = build({ internetFacing: false });
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    expect([...routesOf(template, stack, subnetsOf(network, network.ingressSubnets)).values()].flat()).toEqual([]);
  });

  test('allows only the domains given, in a policy that drops everything else', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::NetworkFirewall::RuleGroup', {
      RuleGroup: { RulesSource: { RulesSourceList: { GeneratedRulesType: 'ALLOWLIST', Targets: ['cognito-idp.us-east-1.amazonaws.com'] } } },
    });
    template.hasResourceProperties('AWS::NetworkFirewall::FirewallPolicy', {
      FirewallPolicy: { StatefulDefaultActions: ['aws:drop_established_app_layer', 'aws:alert_established_app_layer'] },
    });
  });

  test('encrypts the firewall logs with the flow log key, kept as long as the flow log', () => {
    const { template, stack, keys } = build({ flowLogRetention: 731 });
    const keyArn = { 'Fn::GetAtt': [stack.getLogicalId(keys.logs.node.defaultChild as ec2.CfnVPC), 'Arn'] };
    expect(Object.values(resourcesOf(template, 'AWS::Logs::LogGroup')).map((r) => r.Properties))
      .toEqual(Array(3).fill(expect.objectContaining({ KmsKeyId: keyArn, RetentionInDays: 731 })));
  });

  test('with natGateways 1, one NAT gateway serves the firewall subnets of both zones', () => {
    build({ natGateways: 1 }).template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });
});

describe("SegmentedVpc egress 'firewall' network ACLs (stateless request and reply)", () => {
  function endpoints() {
    const { network, stack } = build();
    const acls = network.networkAcls;
    const at = (acl: ec2.NetworkAcl, selection?: ec2.SubnetSelection): Endpoint[] =>
      subnetsOf(network, selection).map((s) => ({ ip: hostIn(s.ipv4CidrBlock), acl: new AclUnderTest(stack, acl) }));
    return {
      acls,
      task: at(acls.workload, network.workloadSubnets),
      isolated: at(acls.workload, network.isolatedWorkloadSubnets),
      db: at(acls.data, network.dataSubnets),
      nat: at(acls.egress!, network.natSubnets),
      firewall: at(acls.egress!, network.firewallSubnets),
    };
  }

  test('puts the Nat and Firewall tiers under an ACL of their own, and both workload tiers under the workload ACL', () => {
    const { network, template, stack } = build();
    template.resourceCountIs('AWS::EC2::NetworkAcl', 4);
    const aclOf = (acl: ec2.NetworkAcl) => stack.getLogicalId(acl.node.defaultChild as ec2.CfnNetworkAcl);
    const associations = Object.values(resourcesOf(template, 'AWS::EC2::SubnetNetworkAclAssociation')).map((r) => r.Properties);
    const subnetIds = (selection?: ec2.SubnetSelection) =>
      subnetsOf(network, selection).map((s) => stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet));
    const associated = (acl: ec2.NetworkAcl) => associations.filter((a) => a.NetworkAclId.Ref === aclOf(acl)).map((a) => a.SubnetId.Ref).sort();
    expect(associated(network.networkAcls.egress!)).toEqual([...subnetIds(network.natSubnets), ...subnetIds(network.firewallSubnets)].sort());
    expect(associated(network.networkAcls.workload))
      .toEqual([...subnetIds(network.workloadSubnets), ...subnetIds(network.isolatedWorkloadSubnets)].sort());
  });

  // proves: defense-in-depth/network
  test('a workload task reaches the internet on 443 through the firewall endpoint and the NAT gateway, and replies come back', () => {
    const { task, firewall, nat } = endpoints();
    const request = { src: task[0].ip, dst: INTERNET, protocol: 'tcp' as const, port: 443 };
    const reply = { src: INTERNET, dst: task[0].ip, protocol: 'tcp' as const, port: 40000 };
    expect(task[0].acl!.allowsOutbound(request)).toBe(true);
    for (const hop of [firewall[0], nat[0]]) {
      expect(hop.acl!.allowsInbound(request)).toBe(true);
      expect(hop.acl!.allowsOutbound(request)).toBe(true);
      expect(hop.acl!.allowsInbound(reply)).toBe(true);
      expect(hop.acl!.allowsOutbound(reply)).toBe(true);
    }
    expect(task[0].acl!.allowsInbound(reply)).toBe(true);
  });

  test('the egress path carries HTTPS only, and only for the workload tier', () => {
    const { task, isolated, db, firewall } = endpoints();
    const https = (src: string) => ({ src, dst: INTERNET, protocol: 'tcp' as const, port: 443 });
    expect(firewall[0].acl!.allowsInbound({ ...https(task[0].ip), port: 80 })).toBe(false);
    expect(firewall[0].acl!.allowsInbound({ ...https(task[0].ip), port: 22 })).toBe(false);
    expect(firewall[0].acl!.allowsInbound(https(isolated[0].ip))).toBe(false);
    expect(firewall[0].acl!.allowsInbound(https(db[0].ip))).toBe(false);
    expect(firewall[0].acl!.allowsInbound({ src: db[0].ip, dst: firewall[0].ip, protocol: 'tcp', port: 40000 })).toBe(false);
    expect(connects({ ip: INTERNET }, firewall[0], 443)).toBe(false);
  });

  test('isolated workload tasks reach the interface endpoints in the workload tier', () => {
    const { task, isolated } = endpoints();
    expect(connects(isolated[0], task[1], 443)).toBe(true);
    expect(connects(isolated[1], task[0], 443)).toBe(true);
  });
});

describe("SegmentedVpc egress 'firewall' endpoints", () => {
  test('routes the S3 and DynamoDB gateway endpoints from both workload tiers and admits both to the interface endpoints', () => {
    const { network, stack, template } = build();
    const tasks = [...subnetsOf(network, network.workloadSubnets), ...subnetsOf(network, network.isolatedWorkloadSubnets)];
    const tables = tasks.map((s) => ({ Ref: stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable) }));
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', RouteTableIds: tables }, 2);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: tasks.map((s) => Match.objectLike({ CidrIp: s.ipv4CidrBlock, FromPort: 443, ToPort: 443 })),
    });
  });

  test("with endpointClients 'security-groups', admits only the security groups named, by reference", () => {
    // GIVEN
    const { network, stack } = stackWithVpc({ endpointClients: 'security-groups' });
    network.addEgressFirewall('Egress', { allowedDomains: ['api.example.com'] });
    const client = new ec2.SecurityGroup(stack, 'Client', { vpc: network.vpc });
    // WHEN
    network.endpoints.allowFrom(client);
    // THEN
    const template = Template.fromStack(stack);
    const endpointGroup = stack.getLogicalId(network.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    expect(template.toJSON().Resources[endpointGroup].Properties.SecurityGroupIngress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [endpointGroup, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(client.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
  });
});

describe("SegmentedVpc egress 'firewall' validation", () => {
  test('fails at synth when no firewall was added, naming addEgressFirewall', () => {
    const { stack } = stackWithVpc();
    expect(() => Template.fromStack(stack)).toThrow(/egress 'firewall' but no firewall: call addEgressFirewall\(\) with the allowed domains/);
  });

  test('fails to add a firewall without egress firewall, or twice', () => {
    const none = stackWithVpc({ egress: 'none' }).network;
    expect(() => none.addEgressFirewall('Egress', { allowedDomains: ['api.example.com'] })).toThrow(/addEgressFirewall\(\) needs egress 'firewall', got 'none'/);
    const { network } = build();
    expect(() => network.addEgressFirewall('Again', { allowedDomains: ['api.example.com'] })).toThrow(/can be called once; 'Egress' exists/);
  });

  test('passes the firewall\'s own checks through, naming the prop', () => {
    const { network } = stackWithVpc();
    expect(() => network.addEgressFirewall('Egress', { allowedDomains: ['*.example.com'] })).toThrow(/allowedDomains: '\*.example.com' is a wildcard/);
  });

  test('fails when the endpoints admit no security group', () => {
    const { network, stack } = stackWithVpc({ endpointClients: 'security-groups' });
    network.addEgressFirewall('Egress', { allowedDomains: ['api.example.com'] });
    expect(() => Template.fromStack(stack)).toThrow(/admits no client: call allowFrom/);
  });

  test('fails with more zones than the ACLs can hold entries for', () => {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `us-east-1${z}`);
    expect(() => stackWithVpc({ availabilityZones: zones, workloadPorts: [8080, 8443] }))
      .toThrow(/over 6 ingress, 12 workload and 6 data subnets need \d+ (inbound|outbound) entries in the (workload|ingress) network ACL/);
  });
});

describe("SegmentedVpc egress 'firewall' gate", () => {
  test.each([
    ['internet-facing', {}],
    ['internal, one NAT gateway, endpoints by security group', { internetFacing: false, natGateways: 1, endpointClients: 'security-groups' as const }],
  ])('is gate clean: %s', (_name, options: Partial<SegmentedVpcProps>) => {
    const { network, stack } = stackWithVpc(options);
    network.addEgressFirewall('Egress', { allowedDomains: ['api.example.com'] });
    if (network.endpoints.clients === 'security-groups') network.endpoints.allowFrom(new ec2.SecurityGroup(stack, 'Client', { vpc: network.vpc }));
    expectGateClean(stack);
  });

  test('passes the Control Tower controls (the key ring of the fixture aside)', () => {
    const { stack } = build();
    const failures = cfnGuardStacks([stack]).filter((f) => !f.constructPath?.startsWith('Test/Keys/'));
    expect(formatGuardFailures(failures)).toEqual('');
  });
});
