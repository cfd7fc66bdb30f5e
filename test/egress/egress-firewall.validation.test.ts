import { buildEgress, egressFixture, ZONES } from './fixture';
import { MAX_ALLOWED_DOMAINS } from '../../lib/egress/private/domain-allow-list';

/** The message of the error `build` throws. */
function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

describe('EgressFirewall validation', () => {
  test('fails without an allowed domain', () => {
    expect(() => buildEgress({ allowedDomains: [] })).toThrow(
      "EgressFirewall Test/Egress: invalid properties:\n  - allowedDomains: at least one domain is required; a firewall that allows no domain drops all egress, which the VPC already does without one (egress 'none')");
  });

  test.each([
    ['*.example.com', "is a wildcard; write '.example.com' (a leading dot matches the domain and all its subdomains)"],
    ['https://api.example.com', "has a scheme, port or path; give the host name only, e.g. 'api.example.com'"],
    ['api.example.com:443', "has a scheme, port or path; give the host name only, e.g. 'api.example.com'"],
    ['api.example.com/v1', "has a scheme, port or path; give the host name only, e.g. 'api.example.com'"],
    ['API.Example.com', "has upper-case letters; write 'api.example.com'"],
    ['.com', "has a single label and would allow a whole top-level domain; name the domain, e.g. '.example.com'"],
    ['localhost', "has a single label and would allow a whole top-level domain; name the domain, e.g. '.example.com'"],
    ['203.0.113.10', 'is an IP address; the firewall matches names (TLS SNI and HTTP Host), never addresses'],
    ['exa mple.com', "is not a domain name; use 'api.example.com' for one host or '.example.com' for a domain and its subdomains"],
    ['-api.example.com', "is not a domain name; use 'api.example.com' for one host or '.example.com' for a domain and its subdomains"],
    ['api..example.com', "is not a domain name; use 'api.example.com' for one host or '.example.com' for a domain and its subdomains"],
    [`${'a'.repeat(64)}.example.com`, "is not a domain name; use 'api.example.com' for one host or '.example.com' for a domain and its subdomains"],
  ])('fails on the allowed domain %s', (domain, problem) => {
    expect(() => buildEgress({ allowedDomains: ['api.example.com', domain] })).toThrow(`allowedDomains: '${domain}' ${problem}`);
  });

  test('accepts host names, subdomain wildcards and internationalized names', () => {
    const { egress } = buildEgress({ allowedDomains: ['api.example.com', '.example.org', 'xn--bcher-kva.example', 'a-b.c9.io'] });
    expect(egress.availabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
  });

  test('fails on a domain listed twice', () => {
    expect(() => buildEgress({ allowedDomains: ['api.example.com', '.github.com', 'api.example.com'] }))
      .toThrow("allowedDomains: 'api.example.com' listed more than once");
  });

  test('fails on more domains than the rule group holds', () => {
    const allowedDomains = Array.from({ length: MAX_ALLOWED_DOMAINS + 1 }, (_, i) => `host${i}.example.com`);
    expect(() => buildEgress({ allowedDomains })).toThrow(
      `allowedDomains: ${MAX_ALLOWED_DOMAINS + 1} domains given; at most ${MAX_ALLOWED_DOMAINS} fit the rule group's capacity of 1000`);
    expect(() => buildEgress({ allowedDomains: allowedDomains.slice(1) })).not.toThrow();
  });

  test('fails when the firewall subnets do not lead to a NAT gateway', () => {
    const message = errorOf(() => buildEgress({ firewallSubnets: { subnetGroupName: 'Data' } }));
    expect(message).toContain('firewallSubnets: Test/Vpc/DataSubnet1 (us-east-1a) is isolated; the firewall forwards inspected traffic ' +
      "along its subnet's default route, which must lead to a NAT gateway: select private subnets with egress (ec2.SubnetType.PRIVATE_WITH_EGRESS)");
    expect(message).toContain('firewallSubnets: Test/Vpc/DataSubnet2 (us-east-1b) is isolated;');
  });

  test('fails when the firewall is in one zone only', () => {
    expect(() => buildEgress({ firewallSubnets: { subnetGroupName: 'Firewall', availabilityZones: ['us-east-1a'] } })).toThrow(
      'firewallSubnets: 1 subnet(s) selected; select one per availability zone in at least two zones, so that egress survives the loss of a zone');
  });

  test('fails when the NAT subnets are not public', () => {
    expect(() => buildEgress({ natSubnets: { subnetGroupName: 'Workload' } }))
      .toThrow('natSubnets: Test/Vpc/WorkloadSubnet1 (us-east-1a) is isolated; NAT gateways live in public subnets');
  });

  test('fails listing every problem at once', () => {
    const message = errorOf(() => buildEgress({ allowedDomains: ['*.example.com'], natSubnets: { subnetGroupName: 'Firewall' } }));
    expect(message.match(/\n {2}- /g)).toHaveLength(3);
    expect(message).toContain("allowedDomains: '*.example.com' is a wildcard");
    expect(message).toContain('natSubnets: Test/Vpc/FirewallSubnet1 (us-east-1a) is private with egress');
    expect(message).toContain('natSubnets: Test/Vpc/FirewallSubnet2 (us-east-1b) is private with egress');
  });
});

describe('EgressFirewall.routeEgressFrom validation', () => {
  test('fails for subnets that already have a default route', () => {
    const { egress } = buildEgress();
    expect(() => egress.routeEgressFrom({ subnetGroupName: 'Tasks' })).toThrow(
      'EgressFirewall Test/Egress: cannot route egress:\n  - subnets: Test/Vpc/TasksSubnet1 (us-east-1a) is private with egress and already has a default route; ' +
      'select isolated subnets (ec2.SubnetType.PRIVATE_ISOLATED), whose only way out will be the firewall');
    expect(() => egress.routeEgressFrom({ subnetGroupName: 'Nat' })).toThrow('subnets: Test/Vpc/NatSubnet1 (us-east-1a) is public and already has a default route');
    expect(() => egress.routeEgressFrom({ subnetGroupName: 'Firewall' })).toThrow('subnets: Test/Vpc/FirewallSubnet1 (us-east-1a) is private with egress');
  });

  test('fails for subnets in a zone without a firewall endpoint', () => {
    // GIVEN a three-zone VPC with the firewall in two zones
    const { egress } = buildEgress({ firewallSubnets: { subnetGroupName: 'Firewall', availabilityZones: ZONES.slice(0, 2) } }, egressFixture(ZONES));
    // THEN
    expect(() => egress.routeEgressFrom({ subnetGroupName: 'Workload' })).toThrow(
      'subnets: Test/Vpc/WorkloadSubnet3 (us-east-1c) is in a zone without a firewall endpoint (us-east-1a, us-east-1b); ' +
      'routing it to another zone\'s endpoint would make its egress fail when that zone does');
    expect(() => egress.routeEgressFrom({ subnetGroupName: 'Workload', availabilityZones: ZONES.slice(0, 2) })).not.toThrow();
  });

  test('fails for a selection without subnets', () => {
    const { egress } = buildEgress();
    expect(() => egress.routeEgressFrom({ subnetGroupName: 'Workload', availabilityZones: ['us-east-1f'] }))
      .toThrow('subnets: the selection matches no subnet of the VPC');
  });
});
