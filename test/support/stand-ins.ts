import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

/** The environment every test stack uses: explicit, so nothing is looked up. */
export const TEST_ENV = { account: '111111111111', region: 'us-east-1' } as const;

/** A stack in a fresh app, in `TEST_ENV`. */
export function testStack(id = 'Test'): Stack {
  return new Stack(new App(), id, { env: TEST_ENV });
}

/** How a subnet group of a stand-in VPC is reached: public (no auto-assigned IPs) or isolated. */
export type StandInSubnet = 'public' | 'isolated';

/**
 * A minimal two-zone VPC (`Vpc`) standing in for the network layer in tests of other blocks:
 * no NAT gateway, no flow log, the default security group left as is. It is not gate clean, so
 * tests keep it outside the construct they gate-check; `SegmentedVpc` has its own tests.
 *
 * @param subnetGroups subnet group names and their kind, in order
 */
export function standInVpc(scope: Construct, subnetGroups: Readonly<Record<string, StandInSubnet>> = { Workload: 'isolated' }): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: 0,
    subnetConfiguration: Object.entries(subnetGroups).map(([name, kind]) => (kind === 'public'
      ? { name, subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false }
      : { name, subnetType: ec2.SubnetType.PRIVATE_ISOLATED })),
  });
}
