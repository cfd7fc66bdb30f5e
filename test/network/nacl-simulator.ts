import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Evaluates synthesized network ACL entries the way EC2 does: entries in rule-number order,
 * the first whose CIDR, protocol and destination port match decides, and no match denies.
 * Used to replay each flow a tier needs, request and stateless reply, against the template.
 */

interface Entry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly cidr: string;
  readonly protocol: number;
  readonly from?: number;
  readonly to?: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

/** One packet as an ACL sees it. `port` is the destination port (or ICMP type/code). */
export interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly protocol: 'tcp' | 'icmp';
  readonly port?: number;
  readonly icmp?: { type: number; code: number };
}

function ipToNumber(ip: string): number {
  return ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** Whether `ip` is inside `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const [network, prefix] = cidr.split('/');
  const size = 2 ** (32 - Number(prefix));
  return Math.floor(ipToNumber(ip) / size) === Math.floor(ipToNumber(network) / size);
}

/** A host address inside `cidr` (the tenth address), for building packets. */
export function hostIn(cidr: string): string {
  const base = ipToNumber(cidr.split('/')[0]) + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.');
}

/** The entries of one network ACL, read from the stack's template. */
export class AclUnderTest {
  private readonly entries: Entry[];

  constructor(stack: Stack, acl: ec2.NetworkAcl) {
    const aclId = stack.getLogicalId(acl.node.defaultChild as ec2.CfnNetworkAcl);
    const resources = Template.fromStack(stack).findResources('AWS::EC2::NetworkAclEntry', {
      Properties: { NetworkAclId: { Ref: aclId } },
    });
    this.entries = Object.values(resources).map(({ Properties: p }) => ({
      ruleNumber: p.RuleNumber,
      egress: p.Egress === true,
      allow: p.RuleAction === 'allow',
      cidr: p.CidrBlock,
      protocol: p.Protocol,
      from: p.PortRange?.From,
      to: p.PortRange?.To,
      icmpType: p.Icmp?.Type,
      icmpCode: p.Icmp?.Code,
    })).sort((a, b) => a.ruleNumber - b.ruleNumber);
  }

  /** Whether the ACL lets `packet` leave its subnets. */
  public allowsOutbound(packet: Packet): boolean {
    return this.decide(true, packet.dst, packet);
  }

  /** Whether the ACL lets `packet` enter its subnets. */
  public allowsInbound(packet: Packet): boolean {
    return this.decide(false, packet.src, packet);
  }

  private decide(egress: boolean, remote: string, packet: Packet): boolean {
    const match = this.entries.find((e) => e.egress === egress && inCidr(remote, e.cidr) && matchesTraffic(e, packet));
    return match?.allow ?? false;
  }
}

function matchesTraffic(entry: Entry, packet: Packet): boolean {
  if (entry.protocol === -1) return true;
  if (packet.protocol === 'tcp') {
    return entry.protocol === 6 && packet.port !== undefined && packet.port >= entry.from! && packet.port <= entry.to!;
  }
  return entry.protocol === 1 && packet.icmp !== undefined &&
    (entry.icmpType === -1 || entry.icmpType === packet.icmp.type) &&
    (entry.icmpCode === -1 || entry.icmpCode === packet.icmp.code);
}

/** One side of a connection: an address and the ACL of its subnet (none for the internet). */
export interface Endpoint {
  readonly ip: string;
  readonly acl?: AclUnderTest;
}

/**
 * Whether a TCP connection from `client` (source port `clientPort`) to `server:port` works
 * through stateless ACLs: the request must leave the client's subnet and enter the
 * server's, and the reply must leave the server's subnet and enter the client's. Both ends
 * in one ACL but different subnets are still evaluated twice, as EC2 does at subnet edges.
 */
export function connects(client: Endpoint, server: Endpoint, port: number, clientPort = 40000): boolean {
  const request: Packet = { src: client.ip, dst: server.ip, protocol: 'tcp', port };
  const reply: Packet = { src: server.ip, dst: client.ip, protocol: 'tcp', port: clientPort };
  return (client.acl?.allowsOutbound(request) ?? true) && (server.acl?.allowsInbound(request) ?? true) &&
    (server.acl?.allowsOutbound(reply) ?? true) && (client.acl?.allowsInbound(reply) ?? true);
}
