import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { acknowledge } from '../gate/acknowledge';
import { planTierAclEntries, Tier, tierAclProblems } from './private/tier-acl-plan';

/** The port MCP containers listen on by default (non-root, so above 1023). */
export const DEFAULT_WORKLOAD_PORT = 8080;

/** Properties of TierNetworkAcls. */
export interface TierNetworkAclsProps {
  /** The VPC of the subnets. */
  readonly vpc: ec2.IVpc;
  /** Subnets of load balancers (and NAT gateways). */
  readonly ingressSubnets: ec2.SubnetSelection;
  /**
   * Subnets of tasks and interface endpoints; one ACL covers them all, including tasks that
   * have no route out (select several subnet groups with `{ subnets: [...] }`).
   */
  readonly workloadSubnets: ec2.SubnetSelection;
  /** Subnets of data stores. */
  readonly dataSubnets: ec2.SubnetSelection;
  /**
   * TCP ports the load balancers forward to in the workload tier (container ports).
   * @default [8080]
   */
  readonly workloadPorts?: number[];
  /**
   * TCP ports of the data stores in the data tier, reachable from the workload tier only,
   * e.g. `[5432]` for PostgreSQL.
   * @default - none: the data tier accepts no connection until its ports are named
   */
  readonly dataPorts?: number[];
  /**
   * Sources outside the VPC, besides the load balancers, that open connections to the
   * workload ports; their replies are allowed back. For targets of VPC Lattice services
   * (the service mesh pattern), pass Lattice's data-plane range, `169.254.171.0/24`.
   * @default - none
   */
  readonly workloadClientCidrs?: string[];
  /**
   * Subnets of the NAT gateways and firewall endpoints, when internet egress crosses a
   * firewall. They get an ACL of their own that carries HTTPS from `egressClientSubnets` to
   * the internet and its replies, and nothing else.
   * @default - no egress ACL (NAT gateways, if any, are in the ingress tier)
   */
  readonly egressSubnets?: ec2.SubnetSelection;
  /**
   * The workload subnets whose internet traffic crosses `egressSubnets`.
   * @default - all of `workloadSubnets`
   */
  readonly egressClientSubnets?: ec2.SubnetSelection;
}

/**
 * One network ACL per tier that admits only what the tier needs, as a stateless second
 * layer under security groups: the ingress tier serves HTTPS and never talks to the data
 * tier; the workload tier takes connections only from the load balancers on the workload
 * ports and otherwise only replies; the data tier talks only to the workload tier on the
 * data ports. With `egressSubnets`, the NAT gateways and firewall endpoints pass HTTPS from
 * the egress client subnets to the internet and its replies only. Reply traffic is opened on
 * the ephemeral ports, as stateless rules require.
 */
export class TierNetworkAcls extends Construct {
  /** ACL of the ingress subnets. */
  public readonly ingress: ec2.NetworkAcl;
  /** ACL of the workload subnets. */
  public readonly workload: ec2.NetworkAcl;
  /** ACL of the data subnets. */
  public readonly data: ec2.NetworkAcl;
  /** ACL of the NAT gateway and firewall subnets, when `egressSubnets` is given. */
  public readonly egress?: ec2.NetworkAcl;

  constructor(scope: Construct, id: string, props: TierNetworkAclsProps) {
    super(scope, id);
    const workloadPorts = props.workloadPorts ?? [DEFAULT_WORKLOAD_PORT];
    const dataPorts = props.dataPorts ?? [];
    const settings = { workloadPorts, dataPorts, workloadClientCidrs: props.workloadClientCidrs ?? [] };
    const cidrsOf = (selection: ec2.SubnetSelection) => props.vpc.selectSubnets(selection).subnets.map((s) => s.ipv4CidrBlock);
    const cidrs = {
      ingress: cidrsOf(props.ingressSubnets),
      workload: cidrsOf(props.workloadSubnets),
      data: cidrsOf(props.dataSubnets),
      egress: props.egressSubnets ? cidrsOf(props.egressSubnets) : [],
      egressClients: props.egressSubnets ? cidrsOf(props.egressClientSubnets ?? props.workloadSubnets) : [],
    };
    const counts = {
      ingress: cidrs.ingress.length,
      workload: cidrs.workload.length,
      data: cidrs.data.length,
      egress: cidrs.egress.length,
      egressClients: cidrs.egressClients.length,
    };

    const problems = tierAclProblems(counts, settings);
    if (problems.length > 0) {
      throw new Error(`TierNetworkAcls ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    const acl = (aclId: string, subnetSelection: ec2.SubnetSelection) => new ec2.NetworkAcl(this, aclId, { vpc: props.vpc, subnetSelection });
    this.ingress = acl('Ingress', props.ingressSubnets);
    this.workload = acl('Workload', props.workloadSubnets);
    this.data = acl('Data', props.dataSubnets);
    this.egress = props.egressSubnets ? acl('Egress', props.egressSubnets) : undefined;

    const acls: Partial<Record<Tier, ec2.NetworkAcl>> = { ingress: this.ingress, workload: this.workload, data: this.data, egress: this.egress };
    for (const entry of planTierAclEntries(cidrs, settings)) {
      // The rule number is part of the id: a renumbered entry is a new resource.
      const entryId = `${entry.direction === ec2.TrafficDirection.INGRESS ? 'In' : 'Out'}${entry.ruleNumber}`;
      // The plan has egress entries only when egress subnets, and so their ACL, exist.
      acls[entry.tier]!.addEntry(entryId, {
        ruleNumber: entry.ruleNumber,
        cidr: ec2.AclCidr.ipv4(entry.cidr),
        traffic: entry.traffic,
        direction: entry.direction,
        ruleAction: entry.action,
      });
    }

    acknowledge(this, {
      id: 'AwsSolutions::AwsSolutions-VPC3',
      reason: 'Network ACLs are a deliberate second layer under security groups (defense in depth, tier segmentation). ' +
        'Every entry is generated from typed props, and tests replay each required flow and its stateless reply against them.',
    });
    declarePrinciples(this, 'zero-trust/micro-segmentation', 'defense-in-depth/network', 'isolation/network');
  }
}
