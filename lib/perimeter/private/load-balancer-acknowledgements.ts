import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
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

/**
 * Control Tower's template check of ALB access logging (CT.ELASTICLOADBALANCING.PR.6) accepts
 * the bucket only as a literal name or a bucket of the same template. Logging is always on;
 * when the bucket belongs to another stack (the account baseline) its name arrives as
 * `Fn::ImportValue`, which the check cannot follow. Acknowledged only in that case.
 */
export function acknowledgeImportedAccessLogBucket(loadBalancer: elbv2.IApplicationLoadBalancer, bucket: s3.IBucket): void {
  if (Stack.of(bucket) === Stack.of(loadBalancer)) return;
  acknowledge(loadBalancer, {
    id: 'cdk-validator-cfnguard::elbv2_logging_enabled_check',
    reason: `Access logging is on (access_logs.s3.enabled true) to ${bucket.node.path}, a bucket of another stack whose name arrives as ` +
      'Fn::ImportValue: the template form of this rule accepts only a literal or a bucket of the same template; the deploy-time hook sees the resolved name.',
  });
}
