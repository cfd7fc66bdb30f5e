import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EndpointClients } from './data-perimeter-endpoints';

/**
 * How the workload tier reaches the internet: `'none'` (isolated subnets; AWS APIs through
 * VPC endpoints only), `'nat'` (NAT gateways in the ingress tier) or `'firewall'` (through
 * AWS Network Firewall with a domain allow-list, added with `addEgressFirewall`, then NAT
 * gateways in a tier of their own; tasks that must never reach the internet go to the
 * isolated workload tier).
 */
export type EgressMode = 'none' | 'nat' | 'firewall';

/** Options of `SegmentedVpc.addEgressFirewall`. */
export interface SegmentedVpcEgressFirewallOptions {
  /**
   * Where the workload tier may connect: `'api.example.com'` for one host, `'.example.com'`
   * for a domain and all its subdomains. Lower case, at least one.
   */
  readonly allowedDomains: string[];
  /**
   * Whether the firewall refuses to be deleted.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** Properties of a SegmentedVpc. */
export interface SegmentedVpcProps {
  /**
   * KMS key that encrypts the flow log group, e.g. `KeyRing.logs`; its key policy must let
   * CloudWatch Logs of this account use it, as KeyRing's does.
   */
  readonly flowLogEncryptionKey: kms.IKey;
  /**
   * Availability zones, at least two, all in the stack's region. Given explicitly so that
   * synth needs no lookup.
   * @default - `<region>a` and `<region>b`; required when the stack's region is a token
   */
  readonly availabilityZones?: string[];
  /**
   * IPv4 CIDR block of the VPC: a private range (RFC 1918 or 100.64.0.0/10), /16 to /22.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Internet egress of the workload tier. Choosing `'nat'` is the explicit decision to let
   * tasks reach the internet (TCP 443 only, per the network ACLs); `'firewall'` lets them
   * reach only the domains given to `addEgressFirewall`.
   * @default 'none'
   */
  readonly egress?: EgressMode;
  /**
   * NAT gateways when egress is `'nat'` or `'firewall'`; fewer than the zones saves cost but
   * makes egress depend on the zones that have one.
   * @default - one per availability zone
   */
  readonly natGateways?: number;
  /**
   * Whether the ingress tier has a route to the internet, for an internet-facing load
   * balancer. When false and egress is `'none'`, the VPC has no internet gateway at all.
   * @default true
   */
  readonly internetFacing?: boolean;
  /**
   * Retention of the flow log records; at least a year.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * TCP ports the load balancers forward to in the workload tier.
   * @default [8080]
   */
  readonly workloadPorts?: number[];
  /**
   * TCP ports of the data stores in the data tier, reachable from the workload tier only.
   * @default - none: the data tier accepts no connection until its ports are named
   */
  readonly dataPorts?: number[];
  /**
   * Sources outside the VPC, besides the load balancers, that connect to the workload ports,
   * e.g. VPC Lattice's data-plane range `169.254.171.0/24` when tasks are Lattice targets.
   * @default - none
   */
  readonly workloadClientCidrs?: string[];
  /**
   * Interface endpoints beyond the baseline (ECR, CloudWatch Logs, KMS, Secrets Manager,
   * SSM, STS), keyed by construct id, e.g. `{ Sqs: ec2.InterfaceVpcEndpointAwsService.SQS }`.
   * @default - only the baseline endpoints
   */
  readonly extraInterfaceEndpoints?: Record<string, ec2.InterfaceVpcEndpointAwsService>;
  /**
   * Who may connect to the interface endpoints: the workload subnets, or only the security
   * groups admitted with `endpoints.allowFrom` (micro-segmentation by security group).
   * @default 'subnets'
   */
  readonly endpointClients?: EndpointClients;
}
