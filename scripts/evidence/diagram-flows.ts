/** The flows security groups allow, between components and to networks outside them. */
import { Flow, Network } from './diagram-model';
import { CfnTemplate, listOf, LocatedResource, prop, referencedId, resourcesOf } from './template';

/** VPC Lattice's data-plane range: traffic from Lattice services to their targets comes from it. */
const LATTICE_DATA_PLANE = '169.254.171.0/24';

interface RuleEntry {
  readonly group: string;
  readonly direction: 'in' | 'out';
  readonly rule: Record<string, unknown>;
}

/**
 * Every ingress and egress rule of the template's security groups, inline or standalone, as
 * flows: ingress on B from A is A → B, egress of A to B is A → B, and both merge into one flow.
 * `componentsOf` maps a security group to the components it is attached to.
 */
export function securityGroupFlows(
  template: CfnTemplate,
  componentsOf: ReadonlyMap<string, readonly string[]>,
  subnets: ReadonlyMap<string, LocatedResource>,
  tierOf: (subnet: LocatedResource) => string,
): { networks: Network[]; flows: Flow[] } {
  const entries: RuleEntry[] = [];
  for (const sg of resourcesOf(template, 'AWS::EC2::SecurityGroup')) {
    listOf(prop(sg, 'SecurityGroupIngress')).forEach((rule) => entries.push({ group: sg.logicalId, direction: 'in', rule: rule as Record<string, unknown> }));
    listOf(prop(sg, 'SecurityGroupEgress')).forEach((rule) => entries.push({ group: sg.logicalId, direction: 'out', rule: rule as Record<string, unknown> }));
  }
  for (const [type, direction] of [['AWS::EC2::SecurityGroupIngress', 'in'], ['AWS::EC2::SecurityGroupEgress', 'out']] as const) {
    for (const rule of resourcesOf(template, type)) {
      const group = referencedId(prop(rule, 'GroupId'));
      if (group) entries.push({ group, direction, rule: rule.Properties ?? {} });
    }
  }

  const networks = new Map<string, Network>();
  const subnetTier = new Map([...subnets.values()].map((s) => [String(prop(s, 'CidrBlock')), `${referencedId(prop(s, 'VpcId'))}_${tierOf(s)}`]));
  const peerOf = (rule: Record<string, unknown>, direction: 'in' | 'out'): string[] => {
    const group = referencedId(rule[direction === 'in' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId']);
    if (group) return [...(componentsOf.get(group) ?? [])];
    const prefixList = rule[direction === 'in' ? 'SourcePrefixListId' : 'DestinationPrefixListId'];
    const cidr = rule.CidrIp ?? rule.CidrIpv6;
    const network = prefixList !== undefined ? { id: 'prefixlist', label: 'AWS service prefix list (gateway endpoint)' } : networkOf(cidr, subnetTier);
    if (!network) return [];
    networks.set(network.id, network);
    return [network.id];
  };

  const flows = new Map<string, { from: string; to: string; ports: Set<string> }>();
  for (const { group, direction, rule } of entries) {
    // CDK writes this placeholder egress rule when a group allows no outbound traffic at all.
    if (rule.CidrIp === '255.255.255.255/32') continue;
    const own = componentsOf.get(group) ?? [];
    for (const peer of peerOf(rule, direction)) {
      for (const component of own) {
        const [from, to] = direction === 'in' ? [peer, component] : [component, peer];
        if (from === to) continue;
        const key = `${from}>${to}`;
        if (!flows.has(key)) flows.set(key, { from, to, ports: new Set() });
        flows.get(key)!.ports.add(portsOf(rule));
      }
    }
  }
  return {
    networks: [...networks.values()].sort((a, b) => a.id.localeCompare(b.id)),
    flows: [...flows.values()].map(({ from, to, ports }) => ({ from, to, ports: [...ports].sort() })),
  };
}

/** The network a CIDR rule names: the internet, a tier of this template's VPCs, Lattice, or the block itself. */
function networkOf(cidr: unknown, subnetTier: ReadonlyMap<string, string>): Network | undefined {
  if (cidr === undefined) return undefined;
  if (cidr === '0.0.0.0/0' || cidr === '::/0') return { id: 'internet', label: 'Internet' };
  if (cidr === LATTICE_DATA_PLANE) return { id: 'lattice', label: `VPC Lattice data plane ${LATTICE_DATA_PLANE}` };
  const vpc = referencedId(cidr);
  if (vpc) return { id: `vpc_${vpc}`, label: 'the whole VPC' };
  if (typeof cidr !== 'string') return { id: 'unresolved', label: 'a CIDR resolved at deployment' };
  const tier = subnetTier.get(cidr);
  if (tier) return { id: `tier_${tier}`, label: `${tier.split('_').pop()} tier` };
  return { id: `cidr_${cidr.replace(/[^0-9a-f]/gi, '_')}`, label: cidr };
}

/** `tcp 443`, `tcp 1024-65535`, `all traffic`, `icmp`. */
function portsOf(rule: Record<string, unknown>): string {
  const protocol = String(rule.IpProtocol ?? '-1');
  if (protocol === '-1') return 'all traffic';
  const name = { 6: 'tcp', 17: 'udp', 1: 'icmp' }[protocol] ?? protocol;
  if (name === 'icmp') return 'icmp';
  const from = rule.FromPort;
  const to = rule.ToPort;
  return from === to ? `${name} ${String(from)}` : `${name} ${String(from)}-${String(to)}`;
}

/**
 * The routes VPC Lattice adds: a service network to its associated services, and a service to
 * the ECS services registered in the target groups its listeners and rules forward to.
 */
export function latticeRoutes(template: CfnTemplate, componentOf: ReadonlyMap<string, string>): Flow[] {
  const routes = new Map<string, Flow>();
  const add = (fromResource: string | undefined, toResource: string | undefined, what: string): void => {
    const from = componentOf.get(fromResource ?? '');
    const to = componentOf.get(toResource ?? '');
    if (from && to && from !== to) routes.set(`${from}>${to}`, { from, to, ports: [what], kind: 'route' });
  };
  for (const association of resourcesOf(template, 'AWS::VpcLattice::ServiceNetworkServiceAssociation')) {
    add(referencedId(prop(association, 'ServiceNetworkIdentifier')), referencedId(prop(association, 'ServiceIdentifier')), 'service association');
  }
  const targetsOf = new Map<string, string[]>();
  for (const service of resourcesOf(template, 'AWS::ECS::Service')) {
    for (const configuration of listOf(prop(service, 'VpcLatticeConfigurations'))) {
      const group = referencedId((configuration as { TargetGroupArn?: unknown }).TargetGroupArn);
      if (group) targetsOf.set(group, [...(targetsOf.get(group) ?? []), service.logicalId]);
    }
  }
  for (const forwarder of resourcesOf(template, 'AWS::VpcLattice::Listener', 'AWS::VpcLattice::Rule')) {
    const service = referencedId(prop(forwarder, 'ServiceIdentifier'));
    const action = prop(forwarder, forwarder.Type === 'AWS::VpcLattice::Listener' ? 'DefaultAction' : 'Action');
    for (const group of listOf((action as { Forward?: { TargetGroups?: unknown } } | undefined)?.Forward?.TargetGroups)) {
      const groupId = referencedId((group as { TargetGroupIdentifier?: unknown }).TargetGroupIdentifier);
      for (const target of targetsOf.get(groupId ?? '') ?? []) add(service, target, 'Lattice route');
    }
  }
  return [...routes.values()];
}
