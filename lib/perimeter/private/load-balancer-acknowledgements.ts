import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { acknowledge } from '../../gate/acknowledge';

const WORLD = new Set(['0.0.0.0/0', '::/0']);

/** The CIDRs among `peers` that stand for the whole internet. */
export function worldCidrsOf(peers: readonly ec2.IPeer[]): string[] {
  return peers
    .map((peer) => peer.toIngressRuleConfig() as { cidrIp?: string; cidrIpv6?: string })
    .flatMap((rule) => [rule.cidrIp, rule.cidrIpv6])
    .filter((cidr): cidr is string => cidr !== undefined && WORLD.has(cidr));
}

/** HTTPS open to the internet is the point of an internet-facing MCP endpoint. */
export function acknowledgePublicHttps(securityGroup: ec2.ISecurityGroup): void {
  acknowledge(securityGroup, {
    id: 'AwsSolutions::AwsSolutions-EC23',
    reason: 'An internet-facing MCP endpoint accepts HTTPS from any client address; AWS WAF filters and rate-limits every request',
  });
}

/**
 * The port 80 listener exists only because `httpRedirect` was set: it answers a permanent
 * redirect to HTTPS and serves nothing, so it has no certificate or TLS policy.
 */
export function acknowledgeHttpRedirect(
  listener: elbv2.IApplicationListener,
  securityGroup: ec2.ISecurityGroup,
  worldCidrs: readonly string[],
): void {
  const reason = 'Opted in with httpRedirect: the port 80 listener only answers a permanent redirect to HTTPS and serves no content';
  acknowledge(listener,
    ...['NIST.800.53.R5::NIST.800.53.R5', 'HIPAA.Security::HIPAA.Security', 'PCI.DSS.321::PCI.DSS.321']
      .map((pack) => ({ id: `${pack}-ELBv2ACMCertificateRequired`, reason })),
    { id: 'Mcp::Mcp-AlbListenerTls[Protocol::HTTP]', reason });
  if (worldCidrs.length > 0) {
    acknowledge(securityGroup, ...worldCidrs.map((cidr) => ({ id: `Mcp::Mcp-SecurityGroupWorldIngressHttpsOnly[Ingress::tcp/80@${cidr}]`, reason })));
  }
}
