import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';

/** ELB security policies that negotiate TLS 1.2 and/or 1.3 only (never 1.0 or 1.1). */
const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-2|TLS13-1-3|TLS-1-2|FS-1-2)-/;

/** The resolved props a SecureLoadBalancer is checked against. */
export interface SecureLoadBalancerSettings {
  readonly internetFacing: boolean;
  readonly clientPeers: readonly ec2.IPeer[];
  readonly certificates: readonly elbv2.IListenerCertificate[];
  readonly sslPolicy: elbv2.SslPolicy;
  readonly accessLogBucket: s3.IBucket;
}

/**
 * Check the props of a SecureLoadBalancer and throw once, listing every problem with the
 * prop, the value and what is allowed.
 */
export function validateSecureLoadBalancerProps(constructPath: string, settings: SecureLoadBalancerSettings): void {
  const problems: string[] = [];
  if (!settings.certificates || settings.certificates.length === 0) {
    problems.push('certificates must list at least one server certificate for the HTTPS listener, got []');
  }
  if (settings.clientPeers.length === 0) {
    problems.push(settings.internetFacing
      ? 'clientPeers must not be empty; omit it to accept HTTPS from any IPv4 address'
      : 'clientPeers is required for an internal load balancer: name who may connect on 443 (e.g. the VPC CIDR or a security group), got none');
  }
  if (!Token.isUnresolved(settings.sslPolicy) && !MODERN_TLS_POLICY.test(settings.sslPolicy)) {
    problems.push(`sslPolicy must allow TLS 1.2/1.3 only (e.g. ${elbv2.SslPolicy.TLS13_12_RES_PQ}), got '${settings.sslPolicy}'`);
  }
  if (!settings.accessLogBucket) {
    problems.push('accessLogBucket is required: the load balancer always writes access logs');
  } else if (settings.accessLogBucket.encryptionKey) {
    problems.push(`accessLogBucket must use SSE-S3 encryption (ALB access logs cannot be written with a KMS key), got a bucket encrypted with ${settings.accessLogBucket.encryptionKey.node.path}`);
  }
  if (problems.length > 0) {
    throw new Error(`SecureLoadBalancer ${constructPath} has invalid props:\n  - ${problems.join('\n  - ')}`);
  }
}
