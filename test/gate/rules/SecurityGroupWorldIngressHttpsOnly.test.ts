import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { mcpFindings, testStack } from './findings';
import { SecurityGroupWorldIngressHttpsOnly } from '../../../lib/gate';

function securityGroup() {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  return { stack, vpc, group: new ec2.SecurityGroup(stack, 'Group', { vpc }) };
}

describe('SecurityGroupWorldIngressHttpsOnly', () => {
  test('HTTPS from anywhere and any port from the VPC are compliant', () => {
    const { stack, vpc, group } = securityGroup();
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443));
    group.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.tcp(443));
    group.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(8080));
    expect(mcpFindings(stack, SecurityGroupWorldIngressHttpsOnly)).toEqual([]);
  });

  test('reports each world-open rule on another port or protocol', () => {
    const { stack, group } = securityGroup();
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80));
    group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcpRange(443, 444));
    group.addIngressRule(ec2.Peer.anyIpv6(), ec2.Port.allTraffic());
    expect(mcpFindings(stack, SecurityGroupWorldIngressHttpsOnly)).toEqual([
      'Mcp-SecurityGroupWorldIngressHttpsOnly[Ingress::tcp/80@0.0.0.0/0] at Test/Group/Resource',
      'Mcp-SecurityGroupWorldIngressHttpsOnly[Ingress::tcp/443-444@0.0.0.0/0] at Test/Group/Resource',
      'Mcp-SecurityGroupWorldIngressHttpsOnly[Ingress::all@::/0] at Test/Group/Resource',
    ]);
  });

  test('reports a standalone ingress resource open to the world', () => {
    const { stack, group } = securityGroup();
    new ec2.CfnSecurityGroupIngress(stack, 'Ssh', { groupId: group.securityGroupId, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '0.0.0.0/0' });
    expect(mcpFindings(stack, SecurityGroupWorldIngressHttpsOnly)).toEqual([
      'Mcp-SecurityGroupWorldIngressHttpsOnly[Ingress::tcp/22@0.0.0.0/0] at Test/Ssh',
    ]);
  });
});
