import { Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { SecureLogGroup } from '../logging/secure-log-group';
import { verifiedAccessProblems } from './private/verified-access-problems';
import { VerifiedAccessOidcOptions } from './verified-access-oidc-options';

/** Properties of a VerifiedAccessApplication. */
export interface VerifiedAccessApplicationProps {
  /** The VPC of the load balancer. */
  readonly vpc: ec2.IVpc;
  /** The internal Application Load Balancer in front of the MCP gateway. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /**
   * Port of the load balancer's HTTPS listener.
   * @default 443
   */
  readonly loadBalancerPort?: number;
  /**
   * Subnets in which Verified Access places its network interfaces to reach the load balancer.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security group of the endpoint, for a pattern that must name it before this construct
   * exists (e.g. as the load balancer's only client). It must not allow all outbound traffic:
   * this construct adds its one egress rule, to the load balancer's listener.
   * @default - a new security group with no rule but that egress
   */
  readonly securityGroup?: ec2.ISecurityGroup;
  /** The host name clients use, e.g. `mcp.example.com`; point it (CNAME) at `endpointDomain`. */
  readonly applicationDomain: string;
  /** The ACM certificate Verified Access presents for `applicationDomain`. */
  readonly domainCertificate: acm.ICertificate;
  /**
   * Label prepended to the endpoint's generated DNS name.
   * @default 'mcp'
   */
  readonly endpointDomainPrefix?: string;
  /** The identity provider users sign in with. */
  readonly oidc: VerifiedAccessOidcOptions;
  /**
   * Name under which policies read the user's claims: `context.<policyReferenceName>.email`.
   * @default 'idp'
   */
  readonly policyReferenceName?: string;
  /**
   * The Cedar policy of the application's group, checked for syntax at synth.
   * @default - permit users the identity provider authenticated (whose claims carry a subject)
   */
  readonly policyDocument?: string;
  /**
   * Customer managed key that encrypts what Verified Access stores of the trust provider,
   * group and endpoint (client secret, policies), e.g. `KeyRing.data`. The principal that
   * deploys needs `kms:CreateGrant`, `kms:Decrypt`, `kms:GenerateDataKey` and
   * `kms:DescribeKey` on it, as KeyRing's IAM-delegating key policy allows.
   */
  readonly encryptionKey: kms.IKey;
  /** KMS key that encrypts the access log group, e.g. `KeyRing.logs`. */
  readonly logEncryptionKey: kms.IKey;
  /**
   * Retention of the access logs; at least a year.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** The Cedar policy applied when none is given: any user the identity provider authenticated. */
export function authenticatedUserPolicy(policyReferenceName: string): string {
  return `permit(principal, action, resource)\nwhen {\n  context has ${policyReferenceName} && context.${policyReferenceName} has sub\n};\n`;
}

/**
 * An MCP endpoint published through AWS Verified Access instead of a public load balancer:
 * every request is authenticated with the organization's OpenID Connect provider and checked
 * against a Cedar policy before it reaches the internal load balancer, so the MCP gateway is
 * never exposed to anonymous internet traffic. Access decisions are logged with the user's
 * trust data to an encrypted log group; the trust provider, group and endpoint are encrypted
 * with a customer managed key; the endpoint's security group reaches the load balancer's
 * HTTPS listener and nothing else.
 *
 * Verified Access signs users in by redirecting a browser to the identity provider and then
 * tracks them with a session cookie, so an MCP client must be able to complete a browser
 * sign-in. The MCP gateway's own OAuth checks still apply behind it.
 *
 * Cost: about US$0.27 an hour per application plus a charge per connection.
 */
export class VerifiedAccessApplication extends Construct {
  /** The Verified Access endpoint in front of the load balancer. */
  public readonly endpoint: ec2.CfnVerifiedAccessEndpoint;
  /** The Verified Access instance. */
  public readonly instance: ec2.CfnVerifiedAccessInstance;
  /** The group holding the endpoint and its policy. */
  public readonly group: ec2.CfnVerifiedAccessGroup;
  /** The OIDC user trust provider. */
  public readonly trustProvider: ec2.CfnVerifiedAccessTrustProvider;
  /** The endpoint's security group: egress to the load balancer's listener only. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The access log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The DNS name generated for the endpoint, the target of `applicationDomain`'s CNAME. */
  public readonly endpointDomain: string;
  /** The name under which policies read the user's claims. */
  public readonly policyReferenceName: string;

  constructor(scope: Construct, id: string, props: VerifiedAccessApplicationProps) {
    super(scope, id);
    const loadBalancerPort = props.loadBalancerPort ?? 443;
    const endpointDomainPrefix = props.endpointDomainPrefix ?? 'mcp';
    const policyReferenceName = props.policyReferenceName ?? 'idp';
    const policyDocument = props.policyDocument ?? authenticatedUserPolicy(policyReferenceName);
    const oidc = { ...props.oidc, scope: props.oidc.scope ?? 'openid' };
    const problems = verifiedAccessProblems({
      stack: Stack.of(this),
      loadBalancer: props.loadBalancer,
      loadBalancerPort,
      securityGroup: props.securityGroup,
      applicationDomain: props.applicationDomain,
      endpointDomainPrefix,
      oidc,
      policyReferenceName,
      policyDocument,
    });
    if (problems.length > 0) {
      throw new Error(`VerifiedAccessApplication ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }
    this.policyReferenceName = policyReferenceName;
    const sseSpecification = { customerManagedKeyEnabled: true, kmsKeyArn: props.encryptionKey.keyArn };

    this.trustProvider = new ec2.CfnVerifiedAccessTrustProvider(this, 'TrustProvider', {
      description: 'Users of the MCP endpoint, authenticated by the OIDC provider',
      trustProviderType: 'user',
      userTrustProviderType: 'oidc',
      policyReferenceName,
      oidcOptions: {
        issuer: oidc.issuer,
        authorizationEndpoint: oidc.authorizationEndpoint,
        tokenEndpoint: oidc.tokenEndpoint,
        userInfoEndpoint: oidc.userInfoEndpoint,
        clientId: oidc.clientId,
        // A Secrets Manager dynamic reference (checked above): resolved by CloudFormation only.
        clientSecret: oidc.clientSecret.unsafeUnwrap(),
        scope: oidc.scope,
      },
      sseSpecification,
    });

    this.logGroup = new SecureLogGroup(this, 'Logs', { encryptionKey: props.logEncryptionKey, retention: props.logRetention }).logGroup;
    this.instance = new ec2.CfnVerifiedAccessInstance(this, 'Instance', {
      description: 'Verified Access for the MCP endpoint',
      verifiedAccessTrustProviderIds: [this.trustProvider.attrVerifiedAccessTrustProviderId],
      loggingConfigurations: {
        cloudWatchLogs: { enabled: true, logGroup: this.logGroup.logGroupName },
        // Who was allowed or denied, with the claims the decision was made on.
        includeTrustContext: true,
        logVersion: 'ocsf-1.0.0-rc.2',
      },
    });

    this.group = new ec2.CfnVerifiedAccessGroup(this, 'Group', {
      description: 'MCP endpoint access policy',
      verifiedAccessInstanceId: this.instance.attrVerifiedAccessInstanceId,
      policyDocument,
      policyEnabled: true,
      sseSpecification,
    });

    this.securityGroup = props.securityGroup ?? new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Verified Access endpoint: HTTPS to the MCP load balancer only',
      allowAllOutbound: false,
    });
    // Also lets the load balancer's security group accept this group on the listener port.
    this.securityGroup.connections.allowTo(props.loadBalancer, ec2.Port.tcp(loadBalancerPort), 'Verified Access to the MCP load balancer');

    this.endpoint = new ec2.CfnVerifiedAccessEndpoint(this, 'Resource', {
      description: 'MCP endpoint behind Verified Access',
      verifiedAccessGroupId: this.group.attrVerifiedAccessGroupId,
      attachmentType: 'vpc',
      endpointType: 'load-balancer',
      applicationDomain: props.applicationDomain,
      domainCertificateArn: props.domainCertificate.certificateArn,
      endpointDomainPrefix,
      securityGroupIds: [this.securityGroup.securityGroupId],
      loadBalancerOptions: {
        loadBalancerArn: props.loadBalancer.loadBalancerArn,
        port: loadBalancerPort,
        protocol: 'https',
        subnetIds: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
      },
      sseSpecification,
    });
    this.endpointDomain = this.endpoint.attrEndpointDomain;

    declarePrinciples(this,
      'zero-trust/continuous-verification', 'defense-in-depth/identity', 'defense-in-depth/authorization',
      'isolation/network', 'secure-by-default/encryption', 'secure-by-default/logging');
  }
}
