import { Names } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as networkfirewall from 'aws-cdk-lib/aws-networkfirewall';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { SecureLogGroup } from '../logging/secure-log-group';
import { allowedDomainProblems } from './private/domain-allow-list';
import { createEgressPolicy } from './private/egress-policy';
import { firewallEndpointIn } from './private/firewall-endpoint';
import { egressSubnetProblems, firewallSubnetProblems } from './private/subnet-roles';

/** Properties of an EgressFirewall. */
export interface EgressFirewallProps {
  /** The VPC. */
  readonly vpc: ec2.IVpc;
  /**
   * Dedicated subnets for the firewall endpoints, one per availability zone in at least two
   * zones, holding nothing else. They must be private subnets with egress: inspected traffic
   * leaves along their default route, to a NAT gateway. A /28 per zone is enough.
   */
  readonly firewallSubnets: ec2.SubnetSelection;
  /**
   * The public subnets that hold the NAT gateways. Replies to the egress subnets are routed
   * from here back through the firewall, so these subnets must hold nothing else that talks
   * to the egress subnets: a load balancer here would have its traffic to the tasks sent
   * through the firewall one way only, and dropped.
   */
  readonly natSubnets: ec2.SubnetSelection;
  /**
   * Where workloads may connect: `'api.example.com'` for one host, `'.example.com'` for a
   * domain and all its subdomains. Lower case, at least one.
   */
  readonly allowedDomains: string[];
  /** KMS key that encrypts the alert and flow log groups, e.g. `KeyRing.logs`. */
  readonly logEncryptionKey: kms.IKey;
  /**
   * Retention of the alert and flow logs; at least a year.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Whether the firewall refuses to be deleted. Turning it off lets a stack deletion remove
   * the firewall (and with it, egress) without a separate, deliberate step.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * Opt-in internet egress for MCP servers through AWS Network Firewall, allowed by domain name
 * only. The zero-trust network has no egress at all unless this is added.
 *
 * Traffic is inspected before it is translated, so alert and flow logs show which task
 * connected: workload subnets send 0.0.0.0/0 to the firewall endpoint of their zone, the
 * firewall subnets send it on to a NAT gateway, and the NAT subnets send replies for each
 * workload subnet back through the same endpoint (`routeEgressFrom` adds both routes).
 * The policy is strict-order and default-deny: UDP and ICMP to the internet are dropped, TLS
 * passes only when its SNI and HTTP only when its Host header is an allowed domain, and
 * everything else is dropped and logged. Endpoint, policy and subnet mappings are protected
 * against deletion and change.
 *
 * What it does not do: the firewall does not decrypt TLS, so it trusts the server name the
 * client sends; a compromised task can name an allowed domain while connecting to another
 * address. It narrows egress to named services, it does not prove where bytes go.
 *
 * Cost: about US$0.395 an hour per endpoint (one per zone) plus a charge per GB inspected,
 * on top of the NAT gateways.
 */
export class EgressFirewall extends Construct {
  /** The firewall. */
  public readonly firewall: networkfirewall.CfnFirewall;
  /** The firewall policy. */
  public readonly policy: networkfirewall.CfnFirewallPolicy;
  /** The stateful rule group of allowed domains. */
  public readonly domainAllowList: networkfirewall.CfnRuleGroup;
  /** The log group of alerts: every dropped flow. */
  public readonly alertLogGroup: logs.ILogGroup;
  /** The log group of flow records: every flow inspected. */
  public readonly flowLogGroup: logs.ILogGroup;
  /** The zones that have a firewall endpoint. */
  public readonly availabilityZones: readonly string[];
  private readonly vpc: ec2.IVpc;
  private readonly natSubnets: readonly ec2.ISubnet[];

  constructor(scope: Construct, id: string, props: EgressFirewallProps) {
    super(scope, id);
    const deletionProtection = props.deletionProtection ?? true;
    const allowedDomains = props.allowedDomains ?? [];
    const firewallSubnets = props.vpc.selectSubnets(props.firewallSubnets).subnets;
    const natSubnets = props.vpc.selectSubnets(props.natSubnets).subnets;
    const problems = [
      ...allowedDomainProblems(allowedDomains),
      ...firewallSubnetProblems(props.vpc, firewallSubnets, natSubnets),
    ];
    if (problems.length > 0) {
      throw new Error(`EgressFirewall ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }
    this.vpc = props.vpc;
    this.natSubnets = natSubnets;
    this.availabilityZones = firewallSubnets.map((subnet) => subnet.availabilityZone);

    // Network Firewall resources need names unique in the account and region.
    const name = Names.uniqueResourceName(this, { maxLength: 100, separator: '-' });
    const egressPolicy = createEgressPolicy(this, {
      policy: `${name}-policy`,
      domainAllowList: `${name}-allowed-domains`,
      nonTcpDrop: `${name}-non-tcp-drop`,
    }, allowedDomains);
    this.policy = egressPolicy.policy;
    this.domainAllowList = egressPolicy.domainAllowList;

    this.firewall = new networkfirewall.CfnFirewall(this, 'Resource', {
      firewallName: name,
      description: 'Inspects internet egress of MCP servers; only allowed domains pass',
      vpcId: props.vpc.vpcId,
      subnetMappings: firewallSubnets.map((subnet) => ({ subnetId: subnet.subnetId })),
      firewallPolicyArn: this.policy.attrFirewallPolicyArn,
      deleteProtection: deletionProtection,
      // Moving the endpoints or swapping the policy would silently reroute or unfilter egress.
      subnetChangeProtection: true,
      firewallPolicyChangeProtection: true,
    });

    const logGroupProps = { encryptionKey: props.logEncryptionKey, retention: props.logRetention };
    const alertLogs = new SecureLogGroup(this, 'AlertLogs', logGroupProps);
    const flowLogs = new SecureLogGroup(this, 'FlowLogs', logGroupProps);
    this.alertLogGroup = alertLogs.logGroup;
    this.flowLogGroup = flowLogs.logGroup;
    new networkfirewall.CfnLoggingConfiguration(this, 'Logging', {
      firewallArn: this.firewall.attrFirewallArn,
      loggingConfiguration: {
        logDestinationConfigs: [
          { logType: 'ALERT', logDestinationType: 'CloudWatchLogs', logDestination: { logGroup: this.alertLogGroup.logGroupName } },
          { logType: 'FLOW', logDestinationType: 'CloudWatchLogs', logDestination: { logGroup: this.flowLogGroup.logGroupName } },
        ],
      },
    });

    declarePrinciples(this,
      'isolation/network', 'defense-in-depth/network', 'zero-trust/least-privilege',
      'secure-by-default/fail-secure', 'secure-by-default/logging', 'observability');
  }

  /**
   * The id of the firewall endpoint in `availabilityZone`, for routes this construct does not
   * add itself. Resolved at deploy time, whatever order the firewall lists its endpoints in.
   */
  public endpointId(availabilityZone: string): string {
    if (!this.availabilityZones.includes(availabilityZone)) {
      throw new Error(`EgressFirewall ${this.node.path} has no endpoint in '${availabilityZone}'; its zones are ${this.availabilityZones.join(', ')}`);
    }
    return firewallEndpointIn(this.firewall, availabilityZone);
  }

  /**
   * Send the internet traffic of `subnets` through the firewall: in each subnet's route table,
   * 0.0.0.0/0 goes to the endpoint of its zone; in each NAT subnet's route table, the subnet's
   * CIDR block goes to that same endpoint, so replies are inspected by the endpoint that saw
   * the request. The subnets must be isolated (no default route yet) and in zones that have
   * an endpoint; their security groups and network ACLs must still allow the traffic.
   */
  public routeEgressFrom(subnets: ec2.SubnetSelection): void {
    const selected = this.vpc.selectSubnets(subnets).subnets;
    const problems = egressSubnetProblems(this.vpc, selected, this.availabilityZones);
    if (problems.length > 0) {
      throw new Error(`EgressFirewall ${this.node.path}: cannot route egress:\n  - ${problems.join('\n  - ')}`);
    }
    for (const subnet of selected) {
      const endpoint = this.endpointId(subnet.availabilityZone);
      new ec2.CfnRoute(this, `${subnet.node.id}Egress`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: '0.0.0.0/0',
        vpcEndpointId: endpoint,
      });
      for (const natSubnet of this.natSubnets) {
        new ec2.CfnRoute(this, `${natSubnet.node.id}ReturnTo${subnet.node.id}`, {
          routeTableId: natSubnet.routeTable.routeTableId,
          destinationCidrBlock: subnet.ipv4CidrBlock,
          vpcEndpointId: endpoint,
        });
      }
    }
  }
}
