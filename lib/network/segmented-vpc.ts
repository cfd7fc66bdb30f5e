import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AllTrafficFlowLog } from './all-traffic-flow-log';
import { DataPerimeterEndpoints, EndpointClients, extraInterfaceEndpointProblems } from './data-perimeter-endpoints';
import { declarePrinciples } from '../core/controls';
import { EgressFirewall } from '../egress/egress-firewall';
import { acknowledge } from '../gate/acknowledge';
import { SUBNET_GROUPS, subnetLayout, unionOf } from './private/segmented-vpc-layout';
import { segmentedVpcProblems } from './private/segmented-vpc-problems';
import { EgressMode, SegmentedVpcEgressFirewallOptions, SegmentedVpcProps } from './segmented-vpc-props';
import { DEFAULT_WORKLOAD_PORT, TierNetworkAcls } from './tier-network-acls';

/** Construct id of the CDK custom resource provider behind `restrictDefaultSecurityGroup`. */
const RESTRICT_DEFAULT_SG_PROVIDER = 'Custom::VpcRestrictDefaultSGCustomResourceProvider';

/**
 * A VPC in three tiers, each in every availability zone: `ingress` (load balancers, no
 * public IPs on launch), `workload` (tasks and VPC endpoints; isolated unless egress is
 * `'nat'`) and `data` (isolated). It logs all traffic to an encrypted log group, closes
 * the default security group, bounds each tier with a network ACL and reaches AWS APIs
 * through endpoints whose policies keep requests inside the deploying account.
 *
 * With egress `'firewall'` it adds an isolated workload tier for tasks that must never reach
 * the internet, and the egress path: a `Nat` tier holding only the NAT gateways and a
 * `Firewall` tier for the firewall endpoints, with their own network ACL. The workload tier
 * stays isolated, and synthesis fails, until `addEgressFirewall` routes it through the
 * firewall. The firewall subnets are the VPC's only private subnets with a default route, so
 * a construct that picks the VPC's default subnets would land there, behind the firewall but
 * beside it: always place resources with an explicit subnet selection.
 *
 * Offline synth: `ec2.Vpc` reads `Stack.availabilityZones` even when zones are given,
 * which for a stack with a concrete account and region is a context lookup. Stacks that
 * must synthesize without credentials override `availabilityZones` to return their zones.
 */
export class SegmentedVpc extends Construct {
  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** Subnets of load balancers (and NAT gateways with egress `'nat'`), one per zone. */
  public readonly ingressSubnets: ec2.SubnetSelection = { subnetGroupName: SUBNET_GROUPS.ingress };
  /** Subnets of tasks and interface endpoints, one per zone. */
  public readonly workloadSubnets: ec2.SubnetSelection = { subnetGroupName: SUBNET_GROUPS.workload };
  /** Subnets of data stores, one per zone. */
  public readonly dataSubnets: ec2.SubnetSelection = { subnetGroupName: SUBNET_GROUPS.data };
  /**
   * With egress `'firewall'`: subnets of tasks that never reach the internet, one per zone.
   * They use the interface endpoints and share the workload tier's network ACL.
   */
  public readonly isolatedWorkloadSubnets?: ec2.SubnetSelection;
  /** Subnets of the NAT gateways: the ingress tier with `'nat'`, the `Nat` tier with `'firewall'`. */
  public readonly natSubnets?: ec2.SubnetSelection;
  /** With egress `'firewall'`: subnets of the firewall endpoints, one /28 per zone. */
  public readonly firewallSubnets?: ec2.SubnetSelection;
  /** Security group of the interface endpoints (HTTPS from the workload subnets or named groups). */
  public readonly endpointSecurityGroup: ec2.ISecurityGroup;
  /** The availability zones of every tier. */
  public readonly availabilityZones: readonly string[];
  /**
   * The VPC's IPv4 CIDR block as given: a literal, unlike `vpc.vpcCidrBlock`, so that rules
   * naming it can be checked at synth.
   */
  public readonly cidr: string;
  /** The egress mode chosen. */
  public readonly egress: EgressMode;
  /** The VPC endpoints. */
  public readonly endpoints: DataPerimeterEndpoints;
  /** The network ACLs of the tiers. */
  public readonly networkAcls: TierNetworkAcls;
  /** The flow log. */
  public readonly flowLog: AllTrafficFlowLog;
  private readonly logSettings: { readonly encryptionKey: kms.IKey; readonly retention?: logs.RetentionDays };
  private firewall?: EgressFirewall;

  constructor(scope: Construct, id: string, props: SegmentedVpcProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    const availabilityZones = props.availabilityZones ?? (Token.isUnresolved(region) ? undefined : [`${region}a`, `${region}b`]);
    const cidr = props.cidr ?? '10.0.0.0/16';
    const egress = props.egress ?? 'none';
    const internetFacing = props.internetFacing ?? true;
    const endpointClients = props.endpointClients ?? 'subnets';
    const aclSettings = {
      workloadPorts: props.workloadPorts ?? [DEFAULT_WORKLOAD_PORT],
      dataPorts: props.dataPorts ?? [],
      workloadClientCidrs: props.workloadClientCidrs ?? [],
    };
    const extraInterfaceEndpoints = props.extraInterfaceEndpoints ?? {};

    const problems = [
      ...segmentedVpcProblems({ region, availabilityZones, cidr, egress, natGateways: props.natGateways, ...aclSettings }),
      ...extraInterfaceEndpointProblems(extraInterfaceEndpoints),
    ];
    if (problems.length > 0 || availabilityZones === undefined) {
      throw new Error(`SegmentedVpc ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }
    this.availabilityZones = availabilityZones;
    this.cidr = cidr;
    this.egress = egress;
    this.logSettings = { encryptionKey: props.flowLogEncryptionKey, retention: props.flowLogRetention };
    const firewall = egress === 'firewall';
    // NAT gateways need public subnets, whatever the load balancer faces.
    const publicIngress = internetFacing || egress === 'nat';
    if (firewall) {
      this.isolatedWorkloadSubnets = { subnetGroupName: SUBNET_GROUPS.isolatedWorkload };
      this.natSubnets = { subnetGroupName: SUBNET_GROUPS.nat };
      this.firewallSubnets = { subnetGroupName: SUBNET_GROUPS.firewall };
    } else if (egress === 'nat') {
      this.natSubnets = this.ingressSubnets;
    }

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: [...availabilityZones],
      natGateways: egress === 'none' ? 0 : props.natGateways ?? availabilityZones.length,
      natGatewaySubnets: this.natSubnets,
      subnetConfiguration: subnetLayout({ firewall, nat: egress === 'nat', publicIngress }),
      // CloudFormation cannot remove the default security group's rules; this CDK-provided
      // custom resource revokes them at deploy (and is what cdk-nag's
      // VPCDefaultSecurityGroupClosed rule recognizes). Its singleton Lambda may only revoke
      // and authorize rules of this one group. It raises no other finding because cdk-nag's
      // Lambda and IAM rules inspect L1 `CfnFunction`/`CfnRole`, and the provider is a plain
      // `CfnResource`. A Lambda of our own would need the same permissions and bring its own
      // findings (VPC placement, concurrency, dead-letter queue) without closing the group better.
      restrictDefaultSecurityGroup: true,
    });
    // The provider is a singleton of the stack, shared by every VPC in it.
    const restrictProvider = Stack.of(this).node.tryFindChild(RESTRICT_DEFAULT_SG_PROVIDER);
    if (restrictProvider) {
      acknowledge(restrictProvider, {
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason: 'CDK\'s provider that closes the default security group runs only during deployments, calls only the EC2 API on that one group ' +
          'and receives no traffic; inside the VPC it would need an EC2 interface endpoint in the workload tier for that alone.',
      });
    }
    // Explicit zones are a requirement (deterministic, offline synth), not an oversight.
    acknowledge(this.vpc, {
      id: 'CloudFormation-Validate::W3010',
      reason: 'Zones are explicit props by design: synth must be offline and deterministic, and every tier must span the same named zones.',
    });
    for (const subnet of this.vpc.publicSubnets) {
      acknowledge(subnet, ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}::${pack}-VPCNoUnrestrictedRouteToIGW`,
        reason: 'Only the ingress tier (internet-facing load balancers, NAT gateways with egress nat) and the Nat tier (NAT gateways ' +
          'behind the egress firewall) route to the internet; instances get no public IP and network ACLs admit HTTPS and replies only.',
      })));
    }

    this.flowLog = new AllTrafficFlowLog(this, 'FlowLog', {
      vpc: this.vpc,
      encryptionKey: props.flowLogEncryptionKey,
      retention: props.flowLogRetention,
    });
    const allWorkloadSubnets = firewall ? unionOf(this.vpc, this.workloadSubnets, this.isolatedWorkloadSubnets!) : this.workloadSubnets;
    this.networkAcls = new TierNetworkAcls(this, 'NetworkAcls', {
      vpc: this.vpc,
      ingressSubnets: this.ingressSubnets,
      workloadSubnets: allWorkloadSubnets,
      dataSubnets: this.dataSubnets,
      egressSubnets: firewall ? unionOf(this.vpc, this.natSubnets!, this.firewallSubnets!) : undefined,
      egressClientSubnets: firewall ? this.workloadSubnets : undefined,
      ...aclSettings,
    });
    this.endpoints = new DataPerimeterEndpoints(this, 'Endpoints', {
      vpc: this.vpc,
      subnets: this.workloadSubnets,
      clientSubnets: firewall ? [this.isolatedWorkloadSubnets!] : undefined,
      clients: endpointClients,
      extraInterfaceEndpoints,
    });
    this.endpointSecurityGroup = this.endpoints.securityGroup;
    if (firewall) {
      // NAT gateways that nothing routes to cost money and do nothing; say so at synth.
      this.node.addValidation({
        validate: () => (this.firewall ? [] : [
          'SegmentedVpc has egress \'firewall\' but no firewall: call addEgressFirewall() with the allowed domains, or choose egress \'none\'',
        ]),
      });
    }

    declarePrinciples(this, 'isolation/network', 'zero-trust/micro-segmentation', 'defense-in-depth/network', 'secure-by-default/fail-secure');
  }

  /** The firewall of the workload tier, once `addEgressFirewall` has run. */
  public get egressFirewall(): EgressFirewall | undefined {
    return this.firewall;
  }

  /**
   * Open the workload tier's internet egress through AWS Network Firewall: endpoints in the
   * Firewall tier, inspected traffic out through the NAT gateways of the Nat tier, only to
   * `allowedDomains`. The isolated workload tier keeps no route out. Alert and flow logs use
   * the flow log's key and retention. Only with egress `'firewall'`, and once.
   */
  public addEgressFirewall(id: string, options: SegmentedVpcEgressFirewallOptions): EgressFirewall {
    if (this.egress !== 'firewall' || !this.firewallSubnets || !this.natSubnets) {
      throw new Error(`SegmentedVpc ${this.node.path}: addEgressFirewall() needs egress 'firewall', got '${this.egress}'`);
    }
    if (this.firewall) {
      throw new Error(`SegmentedVpc ${this.node.path}: addEgressFirewall() can be called once; '${this.firewall.node.id}' exists`);
    }
    this.firewall = new EgressFirewall(this, id, {
      vpc: this.vpc,
      firewallSubnets: this.firewallSubnets,
      natSubnets: this.natSubnets,
      allowedDomains: options.allowedDomains,
      deletionProtection: options.deletionProtection,
      logEncryptionKey: this.logSettings.encryptionKey,
      logRetention: this.logSettings.retention,
    });
    this.firewall.routeEgressFrom(this.workloadSubnets);
    return this.firewall;
  }
}
