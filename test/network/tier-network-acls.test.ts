import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AclUnderTest, connects, Endpoint, hostIn } from './nacl-simulator';
import { declaredPrinciples } from '../../lib/core';
import { listAcknowledgements } from '../../lib/gate';
import { TierNetworkAcls, TierNetworkAclsProps } from '../../lib/network';
import { gateFindings } from '../support/gate';

const INTERNET_CLIENT = '203.0.113.7';
const S3_ADDRESS = '52.216.8.10';

function tieredVpc(stack: Stack, zones = ['us-east-1a', 'us-east-1b']): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: zones,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function build(props: Partial<TierNetworkAclsProps> = {}, zones?: string[]) {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = tieredVpc(stack, zones);
  const acls = new TierNetworkAcls(stack, 'Acls', {
    vpc,
    ingressSubnets: { subnetGroupName: 'Ingress' },
    workloadSubnets: { subnetGroupName: 'Workload' },
    dataSubnets: { subnetGroupName: 'Data' },
    ...props,
  });
  const cidrs = (group: string) => vpc.selectSubnets({ subnetGroupName: group }).subnets.map((s) => s.ipv4CidrBlock);
  const at = (acl: ec2.NetworkAcl, group: string) => cidrs(group).map((cidr): Endpoint => ({ ip: hostIn(cidr), acl: new AclUnderTest(stack, acl) }));
  return {
    stack,
    acls,
    cidrs,
    alb: at(acls.ingress, 'Ingress'),
    task: at(acls.workload, 'Workload'),
    db: at(acls.data, 'Data'),
    template: Template.fromStack(stack),
  };
}

describe('TierNetworkAcls entries', () => {
  test('associates one ACL per tier with every subnet of the tier', () => {
    const { template } = build({}, ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    template.resourceCountIs('AWS::EC2::NetworkAcl', 3);
    template.resourceCountIs('AWS::EC2::SubnetNetworkAclAssociation', 9);
  });

  test('the ingress tier admits HTTPS from anywhere and denies the data tier in both directions', () => {
    const { template, cidrs } = build({ dataPorts: [5432] });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      CidrBlock: '0.0.0.0/0', Egress: false, Protocol: 6, PortRange: { From: 443, To: 443 }, RuleAction: 'allow', RuleNumber: 200,
    });
    for (const cidr of cidrs('Data')) {
      for (const egress of [true, false]) {
        template.hasResourceProperties('AWS::EC2::NetworkAclEntry', { CidrBlock: cidr, Egress: egress, Protocol: -1, RuleAction: 'deny' });
      }
    }
  });

  test('the data tier admits only the workload subnets on the data ports and answers only them', () => {
    const { stack, acls, cidrs } = build({ dataPorts: [5432, 6379] });
    const dataAcl = stack.getLogicalId(acls.data.node.defaultChild as ec2.CfnNetworkAcl);
    const entries = Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry', { Properties: { NetworkAclId: { Ref: dataAcl } } });
    const described = Object.values(entries).map(({ Properties: p }) => `${p.Egress ? 'out' : 'in'} ${p.CidrBlock} ${p.PortRange.From}-${p.PortRange.To}`);
    const [a, b] = cidrs('Workload');
    expect(described.sort()).toEqual([
      `in ${a} 5432-5432`, `in ${a} 6379-6379`, `in ${b} 5432-5432`, `in ${b} 6379-6379`,
      `out ${a} 1024-65535`, `out ${b} 1024-65535`,
    ].sort());
  });

  test('without data ports the data tier has no entry at all', () => {
    const { stack, acls } = build();
    const dataAcl = stack.getLogicalId(acls.data.node.defaultChild as ec2.CfnNetworkAcl);
    expect(Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry', { Properties: { NetworkAclId: { Ref: dataAcl } } })).toEqual({});
  });

  test('the workload tier takes nothing from the internet below the ephemeral range, nor on the RDP port', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      CidrBlock: '0.0.0.0/0', Egress: false, Protocol: 6, PortRange: { From: 1024, To: 3388 }, RuleAction: 'allow', RuleNumber: 400,
    });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', {
      CidrBlock: '0.0.0.0/0', Egress: false, Protocol: 6, PortRange: { From: 3390, To: 65535 }, RuleAction: 'allow', RuleNumber: 410,
    });
    const fromInternet = template.findResources('AWS::EC2::NetworkAclEntry', {
      Properties: { CidrBlock: '0.0.0.0/0', Egress: false, Protocol: 6, RuleAction: 'allow' },
    });
    // Ingress tier: 443 and replies; workload tier: replies only. Control Tower (CT.EC2.PR.5)
    // refuses 22 and 3389 from anywhere.
    expect(Object.values(fromInternet).map(({ Properties: p }) => `${p.PortRange.From}-${p.PortRange.To}`).sort())
      .toEqual(['1024-3388', '1024-3388', '3390-65535', '3390-65535', '443-443']);
  });

  test('rule numbers do not move when a port is appended', () => {
    const before = build({ workloadPorts: [8080], dataPorts: [5432] }).template.findResources('AWS::EC2::NetworkAclEntry');
    const after = build({ workloadPorts: [8080, 8443], dataPorts: [5432, 6379] }).template.findResources('AWS::EC2::NetworkAclEntry');
    for (const [logicalId, resource] of Object.entries(before)) {
      expect(after[logicalId]).toEqual(resource);
    }
    expect(Object.keys(after).length).toBeGreaterThan(Object.keys(before).length);
  });

  test('declares the principles it implements and acknowledges the AwsSolutions NACL warning on itself only', () => {
    const { acls, stack } = build();
    expect(declaredPrinciples(acls)).toEqual(expect.arrayContaining(['zero-trust/micro-segmentation', 'defense-in-depth/network']));
    const underAcls = listAcknowledgements(stack).filter((a) => a.path.startsWith('Test/Acls'));
    expect(underAcls.map((a) => `${a.path} ${a.id}`)).toEqual(['Test/Acls AwsSolutions::AwsSolutions-VPC3']);
  });
});

describe('TierNetworkAcls flows (stateless request and reply)', () => {
  const internet: Endpoint = { ip: INTERNET_CLIENT };

  // proves: defense-in-depth/network
  test('a client reaches a load balancer on 443, and on nothing else', () => {
    const { alb } = build();
    expect(connects(internet, alb[0], 443)).toBe(true);
    expect(connects(internet, alb[0], 80)).toBe(false);
    expect(connects(internet, alb[0], 22)).toBe(false);
  });

  test('a load balancer reaches tasks in every zone on the workload ports, from any source port of its range', () => {
    const { alb, task } = build({ workloadPorts: [8080, 8443] });
    for (const target of task) {
      for (const port of [8080, 8443]) {
        expect(connects(alb[0], target, port, 1024)).toBe(true);
        expect(connects(alb[1], target, port, 65535)).toBe(true);
        expect(connects(alb[1], target, port, 3389)).toBe(true);
      }
    }
    expect(connects(alb[0], task[1], 22)).toBe(false);
  });

  test('a VPC Lattice data plane named as workload client reaches tasks on the workload ports, and only then', () => {
    const lattice: Endpoint = { ip: '169.254.171.33' };
    expect(connects(lattice, build().task[0], 8080)).toBe(false);
    const { task } = build({ workloadPorts: [8080, 443], workloadClientCidrs: ['169.254.171.0/24'] });
    expect(connects(lattice, task[0], 8080)).toBe(true);
    expect(connects(lattice, task[1], 443)).toBe(true);
    expect(connects(lattice, task[0], 22)).toBe(false);
  });

  test('a task reaches an interface endpoint in another zone on 443', () => {
    const { task } = build();
    expect(connects(task[0], task[1], 443)).toBe(true);
  });

  test('a task reaches the S3 and DynamoDB gateway endpoints (public addresses) on 443 only', () => {
    const { task } = build();
    expect(connects(task[0], { ip: S3_ADDRESS }, 443)).toBe(true);
    expect(connects(task[0], { ip: S3_ADDRESS }, 80)).toBe(false);
  });

  test('a task reaches the internet on 443 through a NAT gateway in the ingress tier', () => {
    const { task, alb } = build();
    const nat = alb[0];
    const server = INTERNET_CLIENT;
    const requestIn = { src: task[0].ip, dst: server, protocol: 'tcp' as const, port: 443 };
    const replyIn = { src: server, dst: nat.ip, protocol: 'tcp' as const, port: 1024 };
    // The NAT gateway keeps the server as the reply's source address toward the task.
    const replyOut = { src: server, dst: task[0].ip, protocol: 'tcp' as const, port: 40000 };
    expect(task[0].acl!.allowsOutbound(requestIn)).toBe(true);
    expect(nat.acl!.allowsInbound(requestIn)).toBe(true);
    expect(nat.acl!.allowsOutbound({ ...requestIn, src: nat.ip })).toBe(true);
    expect(nat.acl!.allowsInbound(replyIn)).toBe(true);
    expect(nat.acl!.allowsOutbound(replyOut)).toBe(true);
    expect(task[0].acl!.allowsInbound(replyOut)).toBe(true);
    expect(task[0].acl!.allowsOutbound({ ...requestIn, port: 80 })).toBe(false);
  });

  test('a task reaches the data tier on the data ports only', () => {
    const { task, db } = build({ dataPorts: [5432] });
    expect(connects(task[0], db[0], 5432)).toBe(true);
    expect(connects(task[1], db[0], 5432)).toBe(true);
    expect(connects(task[0], db[0], 22)).toBe(false);
    expect(connects(task[0], db[0], 6379)).toBe(false);
  });

  // proves: zero-trust/micro-segmentation, isolation/network
  test('nothing but the workload tier reaches the data tier, and the data tier reaches nothing', () => {
    const { alb, db, task } = build({ dataPorts: [5432] });
    expect(connects(internet, db[0], 5432)).toBe(false);
    expect(connects(alb[0], db[0], 5432)).toBe(false);
    expect(connects(db[0], { ip: S3_ADDRESS }, 443)).toBe(false);
    expect(connects(db[0], task[0], 8080)).toBe(false);
  });

  test('the internet reaches no well-known port of a task, nor RDP on any tier (the ephemeral range is left to routing)', () => {
    const { task, alb } = build();
    for (const port of [22, 80, 443, 1023, 3389]) {
      expect(connects(internet, task[0], port)).toBe(false);
    }
    expect(alb[0].acl!.allowsInbound({ src: INTERNET_CLIENT, dst: alb[0].ip, protocol: 'tcp', port: 3389 })).toBe(false);
  });

  test('path MTU discovery messages reach the ingress and workload tiers', () => {
    const { alb, task } = build();
    const fragmentationNeeded = (dst: string) => ({ src: INTERNET_CLIENT, dst, protocol: 'icmp' as const, icmp: { type: 3, code: 4 } });
    expect(alb[0].acl!.allowsInbound(fragmentationNeeded(alb[0].ip))).toBe(true);
    expect(task[0].acl!.allowsInbound(fragmentationNeeded(task[0].ip))).toBe(true);
    expect(task[0].acl!.allowsInbound({ ...fragmentationNeeded(task[0].ip), icmp: { type: 8, code: 0 } })).toBe(false);
  });
});

describe('TierNetworkAcls validation', () => {
  test('fails on a port outside 1-65535 and on a repeated port', () => {
    expect(() => build({ workloadPorts: [0, 8080, 8080], dataPorts: [70000] })).toThrow(
      /workloadPorts: 0 is not a TCP port[\s\S]*workloadPorts: 8080 listed more than once[\s\S]*dataPorts: 70000 is not a TCP port/,
    );
  });

  test('fails on a workload client range that is not a CIDR block or is wider than /8', () => {
    expect(() => build({ workloadClientCidrs: ['169.254.171.1/24', '0.0.0.0/0'] })).toThrow(
      /workloadClientCidrs: '169.254.171.1\/24' is not an IPv4 network[\s\S]*workloadClientCidrs: '0.0.0.0\/0' is wider than \/8/,
    );
  });

  test('fails when the ports would exceed the 20 entries an ACL holds per direction', () => {
    expect(() => build({ dataPorts: [5432, 5433, 5434, 5435, 5436, 5437] }, ['us-east-1a', 'us-east-1b', 'us-east-1c'])).toThrow(
      /need 25 outbound entries in the workload network ACL; an ACL holds 20 per direction/,
    );
  });
});

test('the ACLs add no gate finding', () => {
  // The bare VPC around them has findings of its own (flow log, default security group);
  // SegmentedVpc's tests prove the whole network clean.
  const { stack } = build({ dataPorts: [5432] });
  expect(gateFindings(stack).filter((f) => f.path.startsWith('Test/Acls/'))).toEqual([]);
  expect(gateFindings(stack).length).toBeGreaterThan(0);
});

describe('TierNetworkAcls egress subnets', () => {
  test('without egressSubnets there is no egress ACL; with them, their ACL admits HTTPS only from the egress clients', () => {
    expect(build().acls.egress).toBeUndefined();
    // GIVEN the data subnets standing in for an egress path, the second workload subnet as the only client
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = tieredVpc(stack);
    const workload = vpc.selectSubnets({ subnetGroupName: 'Workload' }).subnets;
    const acls = new TierNetworkAcls(stack, 'Acls', {
      vpc,
      ingressSubnets: { subnetGroupName: 'Ingress' },
      workloadSubnets: { subnetGroupName: 'Workload' },
      dataSubnets: { subnets: [] },
      egressSubnets: { subnetGroupName: 'Data' },
      egressClientSubnets: { subnets: [workload[1]] },
    });
    // THEN
    const hop = new AclUnderTest(stack, acls.egress!);
    const https = (src: string) => ({ src, dst: INTERNET_CLIENT, protocol: 'tcp' as const, port: 443 });
    expect(hop.allowsInbound(https(hostIn(workload[1].ipv4CidrBlock)))).toBe(true);
    expect(hop.allowsInbound(https(hostIn(workload[0].ipv4CidrBlock)))).toBe(false);
    expect(hop.allowsOutbound({ src: INTERNET_CLIENT, dst: hostIn(workload[1].ipv4CidrBlock), protocol: 'tcp', port: 40000 })).toBe(true);
    expect(hop.allowsOutbound({ src: INTERNET_CLIENT, dst: hostIn(workload[0].ipv4CidrBlock), protocol: 'tcp', port: 40000 })).toBe(false);
  });
});
