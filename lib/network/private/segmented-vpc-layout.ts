import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** Subnet group names of the segmented VPC; a group name is part of each subnet's construct id. */
export const SUBNET_GROUPS = {
  ingress: 'Ingress',
  workload: 'Workload',
  data: 'Data',
  isolatedWorkload: 'IsolatedWorkload',
  nat: 'Nat',
  firewall: 'Firewall',
} as const;

/**
 * The smallest subnet AWS allows. A zone's NAT gateway or firewall endpoint takes one address,
 * and groups with a mask are allocated first, at the start of the VPC range.
 */
const EGRESS_PATH_MASK = 28;

/** What the subnet layout depends on. */
export interface SubnetLayoutOptions {
  /** Whether the workload tier's internet traffic crosses a firewall (egress `'firewall'`). */
  readonly firewall: boolean;
  /** Whether the workload tier has NAT gateways of its own in the ingress tier (egress `'nat'`). */
  readonly nat: boolean;
  /** Whether the ingress tier routes to the internet. */
  readonly publicIngress: boolean;
}

/**
 * The subnet groups of each egress mode. `'none'` and `'nat'` keep the three tiers in the
 * order (and so the address ranges) they have always had. `'firewall'` adds an isolated
 * workload tier, for tasks that must never reach the internet, and the two /28 tiers of the
 * egress path: `Nat` (public, the NAT gateways only) and `Firewall` (the firewall endpoints,
 * whose default route leads to the NAT gateways).
 */
export function subnetLayout(options: SubnetLayoutOptions): ec2.SubnetConfiguration[] {
  const layout: ec2.SubnetConfiguration[] = [
    options.publicIngress
      ? { name: SUBNET_GROUPS.ingress, subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false }
      : { name: SUBNET_GROUPS.ingress, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    // With 'firewall' the workload tier is isolated until EgressFirewall routes it: fail closed.
    { name: SUBNET_GROUPS.workload, subnetType: options.nat ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED },
    { name: SUBNET_GROUPS.data, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  ];
  if (options.firewall) {
    layout.push(
      { name: SUBNET_GROUPS.isolatedWorkload, subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: SUBNET_GROUPS.nat, subnetType: ec2.SubnetType.PUBLIC, cidrMask: EGRESS_PATH_MASK, mapPublicIpOnLaunch: false },
      { name: SUBNET_GROUPS.firewall, subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: EGRESS_PATH_MASK },
    );
  }
  return layout;
}

/** The subnets of `selections` as one selection, for a construct that takes a single one. */
export function unionOf(vpc: ec2.IVpc, ...selections: ec2.SubnetSelection[]): ec2.SubnetSelection {
  return { subnets: selections.flatMap((selection) => vpc.selectSubnets(selection).subnets) };
}
