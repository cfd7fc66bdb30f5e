import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/** What a subnet's default route leads to, as the VPC construct knows it. */
type SubnetKind = 'public' | 'private with egress' | 'isolated' | 'not a subnet of the VPC';

function kindOf(vpc: ec2.IVpc, subnet: ec2.ISubnet): SubnetKind {
  if (vpc.publicSubnets.includes(subnet)) return 'public';
  if (vpc.privateSubnets.includes(subnet)) return 'private with egress';
  if (vpc.isolatedSubnets.includes(subnet)) return 'isolated';
  return 'not a subnet of the VPC';
}

/** The subnet's IPv4 CIDR block, or undefined when an imported subnet was given none. */
function cidrOf(subnet: ec2.ISubnet): string | undefined {
  try {
    return subnet.ipv4CidrBlock;
  } catch {
    return undefined;
  }
}

function describe(subnet: ec2.ISubnet): string {
  const zone = Token.isUnresolved(subnet.availabilityZone) ? 'an unresolved zone' : subnet.availabilityZone;
  return `${subnet.node.path} (${zone})`;
}

function zoneProblems(prop: string, subnets: readonly ec2.ISubnet[]): string[] {
  const problems = subnets
    .filter((s) => Token.isUnresolved(s.availabilityZone))
    .map((s) => `${prop}: the zone of ${s.node.path} is not known at synth time; routes are chosen per zone, so the zone must be`);
  const zones = subnets.map((s) => s.availabilityZone).filter((z) => !Token.isUnresolved(z));
  const repeated = zones.filter((zone, i) => zones.indexOf(zone) !== i);
  if (repeated.length > 0) {
    problems.push(`${prop}: more than one subnet in ${[...new Set(repeated)].join(', ')}; select one subnet per availability zone`);
  }
  return problems;
}

/** Problems with the subnets that hold the firewall endpoints and the NAT gateways. */
export function firewallSubnetProblems(vpc: ec2.IVpc, firewallSubnets: readonly ec2.ISubnet[], natSubnets: readonly ec2.ISubnet[]): string[] {
  const problems: string[] = [];
  if (firewallSubnets.length < 2) {
    problems.push(`firewallSubnets: ${firewallSubnets.length} subnet(s) selected; select one per availability zone in at least two zones, ` +
      'so that egress survives the loss of a zone');
  }
  problems.push(...zoneProblems('firewallSubnets', firewallSubnets));
  for (const subnet of firewallSubnets.filter((s) => kindOf(vpc, s) !== 'private with egress')) {
    problems.push(`firewallSubnets: ${describe(subnet)} is ${kindOf(vpc, subnet)}; the firewall forwards inspected traffic along its ` +
      'subnet\'s default route, which must lead to a NAT gateway: select private subnets with egress (ec2.SubnetType.PRIVATE_WITH_EGRESS)');
  }
  if (natSubnets.length === 0) {
    problems.push('natSubnets: no subnet selected; select the public subnets that hold the NAT gateways');
  }
  problems.push(...zoneProblems('natSubnets', natSubnets));
  for (const subnet of natSubnets.filter((s) => kindOf(vpc, s) !== 'public')) {
    problems.push(`natSubnets: ${describe(subnet)} is ${kindOf(vpc, subnet)}; NAT gateways live in public subnets`);
  }
  return problems;
}

/** Problems with subnets whose internet traffic is to be sent through the firewall. */
export function egressSubnetProblems(vpc: ec2.IVpc, subnets: readonly ec2.ISubnet[], firewallZones: readonly string[]): string[] {
  const problems: string[] = [];
  if (subnets.length === 0) {
    problems.push('subnets: the selection matches no subnet of the VPC');
  }
  problems.push(...zoneProblems('subnets', subnets));
  for (const subnet of subnets) {
    const zone = subnet.availabilityZone;
    if (!Token.isUnresolved(zone) && !firewallZones.includes(zone)) {
      problems.push(`subnets: ${describe(subnet)} is in a zone without a firewall endpoint (${firewallZones.join(', ')}); ` +
        'routing it to another zone\'s endpoint would make its egress fail when that zone does');
    }
    if (kindOf(vpc, subnet) !== 'isolated') {
      problems.push(`subnets: ${describe(subnet)} is ${kindOf(vpc, subnet)} and already has a default route; ` +
        'select isolated subnets (ec2.SubnetType.PRIVATE_ISOLATED), whose only way out will be the firewall');
    }
    const cidr = cidrOf(subnet);
    if (cidr === undefined || Token.isUnresolved(cidr)) {
      problems.push(`subnets: the CIDR block of ${subnet.node.path} is not known at synth time; the NAT subnets need it for the return route`);
    }
  }
  return problems;
}
