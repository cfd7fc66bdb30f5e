import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EgressFirewall, EgressFirewallProps } from '../../lib/egress';
import { KeyRing } from '../../lib/encryption';

/** The zones of the fixture VPC. */
export const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];

/** What an egress test builds on. */
export interface EgressFixture {
  readonly stack: Stack;
  /**
   * A stand-in for a VPC with an egress tier: `Nat` (public, the NAT gateways only),
   * `Firewall` (private with egress, /28), `Workload` and `Data` (isolated), `Tasks` (private
   * with egress). It stays outside the gate checks: the network layer has its own.
   */
  readonly vpc: ec2.Vpc;
  readonly keys: KeyRing;
  /** The props every test starts from: firewall in two zones, two allowed domains. */
  readonly base: EgressFirewallProps;
}

/** A stack with the fixture VPC and a key ring. */
export function egressFixture(zones: readonly string[] = ZONES.slice(0, 2)): EgressFixture {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    availabilityZones: [...zones],
    natGatewaySubnets: { subnetGroupName: 'Nat' },
    subnetConfiguration: [
      { name: 'Nat', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26, mapPublicIpOnLaunch: false },
      { name: 'Firewall', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 28 },
      { name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      { name: 'Tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
    ],
  });
  const keys = new KeyRing(stack, 'Keys');
  const base: EgressFirewallProps = {
    vpc,
    firewallSubnets: { subnetGroupName: 'Firewall' },
    natSubnets: { subnetGroupName: 'Nat' },
    allowedDomains: ['api.example.com', '.github.com'],
    logEncryptionKey: keys.logs,
  };
  return { stack, vpc, keys, base };
}

/** Builds an EgressFirewall `Egress` from the fixture props overridden by `props`. */
export function buildEgress(props: Partial<EgressFirewallProps> = {}, fixture = egressFixture()) {
  const egress = new EgressFirewall(fixture.stack, 'Egress', { ...fixture.base, ...props });
  return { ...fixture, egress, template: () => Template.fromStack(fixture.stack) };
}
