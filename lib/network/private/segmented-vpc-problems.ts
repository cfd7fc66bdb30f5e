import { Token } from 'aws-cdk-lib';
import { isPrivateIpv4Block, parseIpv4Cidr } from './ipv4';
import { TierAclSettings, tierAclProblems } from './tier-acl-plan';

/** The SegmentedVpc props that are validated, with defaults applied. */
export interface SegmentedVpcSettings extends TierAclSettings {
  /** The stack's region, possibly a token. */
  readonly region: string;
  /** Undefined when not given and the region is a token. */
  readonly availabilityZones: readonly string[] | undefined;
  readonly cidr: string;
  readonly egress: string;
  readonly natGateways: number | undefined;
}

const MIN_ZONES = 2;
const PREFIX_RANGE = { largest: 16, smallest: 22 };
const EGRESS_MODES = ['none', 'nat', 'firewall'];

/** Every problem with the settings, one sentence each naming the prop; empty when valid. */
export function segmentedVpcProblems(settings: SegmentedVpcSettings): string[] {
  const problems: string[] = [];
  const zones = settings.availabilityZones;
  const regionKnown = !Token.isUnresolved(settings.region);

  if (zones === undefined) {
    problems.push('availabilityZones: required when the stack\'s region is not resolved (an environment-agnostic stack); ' +
      'name at least two zones, e.g. [\'eu-west-1a\', \'eu-west-1b\']');
  } else if (!Token.isUnresolved(zones)) {
    if (zones.length < MIN_ZONES) {
      problems.push(`availabilityZones: got ${JSON.stringify(zones)}; at least ${MIN_ZONES} zones are required so that one zone's failure leaves the service up`);
    }
    const duplicates = zones.filter((zone, i) => zones.indexOf(zone) !== i);
    if (duplicates.length > 0) {
      problems.push(`availabilityZones: ${[...new Set(duplicates)].join(', ')} listed more than once; each zone must be distinct`);
    }
    const zonePattern = regionKnown ? new RegExp(`^${settings.region}[a-z]$`) : /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;
    for (const zone of zones.filter((z) => !Token.isUnresolved(z) && !zonePattern.test(z))) {
      problems.push(regionKnown
        ? `availabilityZones: '${zone}' is not a zone of the stack's region ${settings.region}; expected e.g. '${settings.region}a'`
        : `availabilityZones: '${zone}' is not an availability zone name such as 'eu-west-1a'`);
    }
  }

  if (!Token.isUnresolved(settings.cidr)) {
    const block = parseIpv4Cidr(settings.cidr);
    if (!block) {
      problems.push(`cidr: '${settings.cidr}' is not an IPv4 network in CIDR notation with host bits zero, e.g. '10.0.0.0/16'`);
    } else if (block.prefix < PREFIX_RANGE.largest || block.prefix > PREFIX_RANGE.smallest) {
      problems.push(`cidr: '${settings.cidr}' has prefix /${block.prefix}; allowed are /${PREFIX_RANGE.largest} to /${PREFIX_RANGE.smallest} ` +
        '(AWS allows at most /16, and three tiers per zone need room)');
    } else if (!isPrivateIpv4Block(block)) {
      problems.push(`cidr: '${settings.cidr}' is publicly routable; use a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10)`);
    }
  }

  if (!EGRESS_MODES.includes(settings.egress)) {
    problems.push(`egress: '${settings.egress}' is not an egress mode; allowed are 'none', 'nat' and 'firewall'`);
  }
  if (settings.natGateways !== undefined && !Token.isUnresolved(settings.natGateways)) {
    const zoneCount = zones?.length ?? MIN_ZONES;
    if (settings.egress !== 'nat' && settings.egress !== 'firewall') {
      problems.push(`natGateways: ${settings.natGateways} given but egress is '${settings.egress}'; NAT gateways exist only with egress 'nat' or 'firewall'`);
    } else if (!Number.isInteger(settings.natGateways) || settings.natGateways < 1 || settings.natGateways > zoneCount) {
      problems.push(`natGateways: ${settings.natGateways} is not between 1 and the number of availability zones (${zoneCount})`);
    }
  }

  const zoneCount = zones?.length ?? MIN_ZONES;
  const firewall = settings.egress === 'firewall';
  problems.push(...tierAclProblems({
    ingress: zoneCount,
    // With 'firewall', the workload ACL covers the isolated workload tier too.
    workload: firewall ? 2 * zoneCount : zoneCount,
    data: zoneCount,
    egress: firewall ? 2 * zoneCount : 0,
    egressClients: firewall ? zoneCount : 0,
  }, settings));
  return problems;
}
