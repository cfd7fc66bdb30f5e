/** An IPv4 CIDR block parsed into its network address and prefix length. */
export interface Ipv4Block {
  /** The network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** The prefix length, 0 to 32. */
  readonly prefix: number;
}

/**
 * Parse `a.b.c.d/n`. Returns undefined when the text is not a well-formed IPv4 CIDR block,
 * including when host bits are set (`10.0.0.1/16`), which EC2 rejects or silently rounds.
 */
export function parseIpv4Cidr(text: string): Ipv4Block | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { network: address, prefix };
}

/** The RFC 1918 private ranges and the RFC 6598 shared range, which AWS accepts for VPCs. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map((cidr) => parseIpv4Cidr(cidr)!);

/** Whether `block` lies entirely inside one of the private address ranges. */
export function isPrivateIpv4Block(block: Ipv4Block): boolean {
  return PRIVATE_RANGES.some((range) =>
    block.prefix >= range.prefix && Math.floor(block.network / 2 ** (32 - range.prefix)) === range.network / 2 ** (32 - range.prefix));
}
