import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { parseIpv4Cidr } from './ipv4';

/**
 * A network ACL of the segmented VPC. `egress` covers the subnets of the NAT gateways and
 * firewall endpoints when the VPC sends internet traffic through a firewall.
 */
export type Tier = 'ingress' | 'workload' | 'data' | 'egress';

/** The CIDR blocks of each tier's subnets, in zone order. */
export interface TierCidrs {
  readonly ingress: readonly string[];
  /** Every subnet of tasks, whether or not it has a route out. */
  readonly workload: readonly string[];
  readonly data: readonly string[];
  /**
   * Subnets of the NAT gateways and firewall endpoints, when they are a tier of their own.
   * @default - none: no egress ACL
   */
  readonly egress?: readonly string[];
  /**
   * The workload subnets whose internet traffic crosses the egress tier.
   * @default - none
   */
  readonly egressClients?: readonly string[];
}

/** What the tier ACLs open beyond their fixed rules. */
export interface TierAclSettings {
  /** TCP ports the load balancers forward to in the workload tier. */
  readonly workloadPorts: readonly number[];
  /** TCP ports of the data stores. */
  readonly dataPorts: readonly number[];
  /** Sources outside the VPC that connect to the workload ports (e.g. VPC Lattice). */
  readonly workloadClientCidrs: readonly string[];
}

/** One network ACL entry to create. */
export interface PlannedAclEntry {
  readonly tier: Tier;
  readonly direction: ec2.TrafficDirection;
  readonly ruleNumber: number;
  readonly cidr: string;
  readonly traffic: ec2.AclTraffic;
  readonly action: ec2.Action;
}

/** Where clients and the internet are. */
export const ANYWHERE = '0.0.0.0/0';
/** The only port the ingress tier serves. */
export const HTTPS_PORT = 443;
/**
 * Return traffic of a stateless ACL arrives on the initiator's ephemeral port. Load
 * balancers and NAT gateways use 1024-65535 and Linux clients 32768-60999, so the ACL
 * must open the whole 1024-65535 range for replies.
 */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;
/** Default quota of entries per direction in one network ACL. */
export const MAX_ENTRIES_PER_DIRECTION = 20;

const IN = ec2.TrafficDirection.INGRESS;
const OUT = ec2.TrafficDirection.EGRESS;
const ephemeral = ec2.AclTraffic.tcpPortRange(EPHEMERAL_PORTS.from, EPHEMERAL_PORTS.to);
/**
 * AWS Control Tower (CT.EC2.PR.5) refuses any entry that admits TCP 3389 (RDP) from
 * 0.0.0.0/0, and the ephemeral range contains it. Replies from anywhere are therefore admitted
 * on the range without that one port. Tasks (Linux: 32768-60999) and firewall endpoints never
 * use it as a source port; a NAT gateway translating a connection to source port 3389 (one in
 * 64,512) has its replies dropped and the client retries. Load balancers, which use the whole
 * range toward their targets, get the full range from the workload subnets by name.
 */
const RDP_PORT = 3389;
const ephemeralBelowRdp = ec2.AclTraffic.tcpPortRange(EPHEMERAL_PORTS.from, RDP_PORT - 1);
const ephemeralAboveRdp = ec2.AclTraffic.tcpPortRange(RDP_PORT + 1, EPHEMERAL_PORTS.to);
// Path MTU discovery ("fragmentation needed") must reach senders, or large responses
// through the NAT gateway or to clients with a smaller MTU stall.
const pathMtu = ec2.AclTraffic.icmp({ type: 3, code: 4 });

/**
 * The entries of the three tier ACLs. Rule numbers come from each entry's purpose
 * (hundreds), port position (tens) and subnet position (units), so that appending a port or
 * a zone adds entries without renumbering existing ones: CloudFormation cannot move an
 * entry onto a rule number another entry still holds.
 *
 * Flows this plan allows, request and reply:
 *  - client -> load balancer: ingress in 443 / ingress out ephemeral
 *  - load balancer -> task: ingress out, workload in on a workload port / workload out,
 *    ingress in on ephemeral ports from the workload subnets
 *  - workload client outside the VPC (e.g. VPC Lattice's data plane) -> task: workload in
 *    on a workload port / workload out on ephemeral ports to that client range
 *  - task -> interface endpoint in another zone: workload <-> workload, all TCP
 *  - task -> S3 and DynamoDB gateway endpoints, or the internet through NAT: workload out
 *    443 / workload in ephemeral from anywhere (gateway endpoints answer from public
 *    addresses, and a NAT gateway keeps the remote address as the reply's source)
 *  - NAT gateway: ingress in 443 from the workload subnets and ephemeral replies from the
 *    internet / ingress out 443 to the internet and ephemeral replies to the workload
 *  - task -> data store: workload out, data in on a data port / data out ephemeral to the
 *    workload subnets
 *  - task in an egress client subnet -> internet through a firewall endpoint and a NAT gateway
 *    (egress tier): egress in 443 from the client subnets and ephemeral replies from the
 *    internet / egress out 443 to the internet and ephemeral replies to the client subnets.
 *    The firewall forwards packets unchanged, so both hops see the task's own address.
 * Everything else is denied by the ACLs' final rule; ingress <-> data is also denied
 * explicitly so that no future allow entry of the ingress tier can open it.
 */
export function planTierAclEntries(cidrs: TierCidrs, settings: TierAclSettings): PlannedAclEntry[] {
  const { workloadPorts, dataPorts, workloadClientCidrs } = settings;
  const entries: PlannedAclEntry[] = [];
  const allow = (tier: Tier, direction: ec2.TrafficDirection, ruleNumber: number, cidr: string, traffic: ec2.AclTraffic) =>
    entries.push({ tier, direction, ruleNumber, cidr, traffic, action: ec2.Action.ALLOW });
  // Tiers whose allow entries name ANYWHERE deny the data tier first, so that no later allow
  // entry can open a path between them.
  const denyData = (tier: Tier) => cidrs.data.forEach((cidr, s) => {
    entries.push({ tier, direction: IN, ruleNumber: 100 + s, cidr, traffic: ec2.AclTraffic.allTraffic(), action: ec2.Action.DENY });
    entries.push({ tier, direction: OUT, ruleNumber: 100 + s, cidr, traffic: ec2.AclTraffic.allTraffic(), action: ec2.Action.DENY });
  });
  const repliesFromAnywhere = (tier: Tier) => {
    allow(tier, IN, 400, ANYWHERE, ephemeralBelowRdp);
    allow(tier, IN, 410, ANYWHERE, ephemeralAboveRdp);
  };
  // A port or subnet position of 10 or more would collide with the next block, but would
  // also need more than the 20 entries an ACL holds, which tierAclProblems refuses.
  type AddPortEntry = (ruleNumber: number, cidr: string, port: number) => void;
  const perPort = (ports: readonly number[], base: number, subnets: readonly string[], add: AddPortEntry) =>
    ports.forEach((port, p) => subnets.forEach((cidr, s) => add(base + p * 10 + s, cidr, port)));

  // Ingress tier: load balancers (and NAT gateways when egress is 'nat').
  denyData('ingress');
  allow('ingress', IN, 200, ANYWHERE, ec2.AclTraffic.tcpPort(HTTPS_PORT));
  allow('ingress', IN, 300, ANYWHERE, pathMtu);
  repliesFromAnywhere('ingress');
  cidrs.workload.forEach((cidr, s) => allow('ingress', IN, 600 + s, cidr, ephemeral));
  allow('ingress', OUT, 200, ANYWHERE, ec2.AclTraffic.tcpPort(HTTPS_PORT));
  allow('ingress', OUT, 400, ANYWHERE, ephemeral);
  perPort(workloadPorts, 1000, cidrs.workload, (n, cidr, port) => allow('ingress', OUT, n, cidr, ec2.AclTraffic.tcpPort(port)));

  // Workload tier: tasks and interface endpoints. Nothing from the internet but replies.
  allow('workload', IN, 300, ANYWHERE, pathMtu);
  repliesFromAnywhere('workload');
  cidrs.workload.forEach((cidr, s) => allow('workload', IN, 500 + s, cidr, ec2.AclTraffic.tcpPortRange(0, 65535)));
  perPort(workloadPorts, 1000, cidrs.ingress, (n, cidr, port) => allow('workload', IN, n, cidr, ec2.AclTraffic.tcpPort(port)));
  perPort(workloadPorts, 1500, workloadClientCidrs, (n, cidr, port) => allow('workload', IN, n, cidr, ec2.AclTraffic.tcpPort(port)));
  allow('workload', OUT, 200, ANYWHERE, ec2.AclTraffic.tcpPort(HTTPS_PORT));
  cidrs.ingress.forEach((cidr, s) => allow('workload', OUT, 400 + s, cidr, ephemeral));
  workloadClientCidrs.forEach((cidr, c) => allow('workload', OUT, 600 + c, cidr, ephemeral));
  cidrs.workload.forEach((cidr, s) => allow('workload', OUT, 500 + s, cidr, ec2.AclTraffic.tcpPortRange(0, 65535)));
  perPort(dataPorts, 2000, cidrs.data, (n, cidr, port) => allow('workload', OUT, n, cidr, ec2.AclTraffic.tcpPort(port)));

  // Data tier: only the workload tier, only on the data ports; no internet in either direction.
  perPort(dataPorts, 2000, cidrs.workload, (n, cidr, port) => allow('data', IN, n, cidr, ec2.AclTraffic.tcpPort(port)));
  if (dataPorts.length > 0) {
    cidrs.workload.forEach((cidr, s) => allow('data', OUT, 400 + s, cidr, ephemeral));
  }

  // Egress tier: NAT gateways and firewall endpoints. HTTPS of the egress clients only.
  if (cidrs.egress !== undefined && cidrs.egress.length > 0) {
    const clients = cidrs.egressClients ?? [];
    denyData('egress');
    clients.forEach((cidr, s) => allow('egress', IN, 200 + s, cidr, ec2.AclTraffic.tcpPort(HTTPS_PORT)));
    allow('egress', IN, 300, ANYWHERE, pathMtu);
    repliesFromAnywhere('egress');
    allow('egress', OUT, 200, ANYWHERE, ec2.AclTraffic.tcpPort(HTTPS_PORT));
    clients.forEach((cidr, s) => allow('egress', OUT, 400 + s, cidr, ephemeral));
  }
  return entries;
}

/** How many subnets each tier has; the entry quota depends on it. */
export type TierSubnetCounts = { readonly [K in keyof TierCidrs]-?: number };

/**
 * Problems with the settings, one sentence each naming the prop; empty when valid. Includes
 * the entry quota, which depends on how many subnets each tier has.
 */
export function tierAclProblems(counts: TierSubnetCounts, settings: TierAclSettings): string[] {
  const problems: string[] = [];
  for (const [name, ports] of [['workloadPorts', settings.workloadPorts], ['dataPorts', settings.dataPorts]] as const) {
    for (const port of ports) {
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`${name}: ${port} is not a TCP port; ports are integers from 1 to 65535`);
      }
    }
    const duplicates = ports.filter((port, i) => ports.indexOf(port) !== i);
    if (duplicates.length > 0) {
      problems.push(`${name}: ${[...new Set(duplicates)].join(', ')} listed more than once; list each port once`);
    }
  }
  for (const cidr of settings.workloadClientCidrs) {
    const block = parseIpv4Cidr(cidr);
    if (!block) {
      problems.push(`workloadClientCidrs: '${cidr}' is not an IPv4 network in CIDR notation with host bits zero, e.g. '169.254.171.0/24'`);
    } else if (block.prefix < 8) {
      problems.push(`workloadClientCidrs: '${cidr}' is wider than /8; name the client range itself, not the internet`);
    }
  }
  if (problems.length > 0) return problems;

  const placeholder = (length: number) => Array.from({ length }, () => ANYWHERE);
  const plan = planTierAclEntries({
    ingress: placeholder(counts.ingress),
    workload: placeholder(counts.workload),
    data: placeholder(counts.data),
    egress: placeholder(counts.egress),
    egressClients: placeholder(counts.egressClients),
  }, settings);
  const subnets = `${counts.ingress} ingress, ${counts.workload} workload and ${counts.data} data subnets`;
  for (const tier of ['ingress', 'workload', 'data', 'egress'] as const) {
    for (const direction of [IN, OUT]) {
      const count = plan.filter((e) => e.tier === tier && e.direction === direction).length;
      if (count > MAX_ENTRIES_PER_DIRECTION) {
        problems.push(`workloadPorts (${settings.workloadPorts.length}), dataPorts (${settings.dataPorts.length}) and ` +
          `workloadClientCidrs (${settings.workloadClientCidrs.length}) over ${subnets} need ` +
          `${count} ${direction === IN ? 'inbound' : 'outbound'} entries in the ${tier} network ACL; ` +
          `an ACL holds ${MAX_ENTRIES_PER_DIRECTION} per direction: name fewer ports or use fewer zones`);
      }
    }
  }
  return problems;
}
