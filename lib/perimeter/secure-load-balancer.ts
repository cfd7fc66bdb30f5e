import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { McpWebAcl, McpWebAclOptions } from './mcp-web-acl';
import { declarePrinciples } from '../core/controls';
import { acknowledgeHttpRedirect, acknowledgeImportedAccessLogBucket, acknowledgePublicHttps, worldCidrsOf } from './private/load-balancer-acknowledgements';
import { addMcpRoutes } from './private/mcp-routes';
import { validateSecureLoadBalancerProps } from './private/secure-load-balancer-validation';

/** Properties of a SecureLoadBalancer. */
export interface SecureLoadBalancerProps {
  /** The VPC of the load balancer. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the load balancer.
   * @default - public subnets when internet-facing, private subnets otherwise
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Whether the endpoint is reachable from the internet.
   * @default false
   */
  readonly internetFacing?: boolean;
  /**
   * Who may connect on port 443. Required for an internal load balancer. Prefer security
   * groups or literal CIDRs: the gate cannot evaluate a CIDR that is a token (such as
   * `vpc.vpcCidrBlock`) and reports it.
   * @default - any IPv4 address when internet-facing
   */
  readonly clientPeers?: ec2.IPeer[];
  /** Server certificates of the HTTPS listener (ACM certificates qualify), at least one. */
  readonly certificates: elbv2.IListenerCertificate[];
  /**
   * TLS policy of the HTTPS listener; only TLS 1.2/1.3 policies are accepted.
   * @default elbv2.SslPolicy.TLS13_12_RES_PQ - TLS 1.3 and 1.2, AEAD ciphers only, hybrid post-quantum key exchange
   */
  readonly sslPolicy?: elbv2.SslPolicy;
  /**
   * Bucket receiving the access logs. ALB access logs support only SSE-S3 encryption, so a
   * bucket with a KMS key is refused (use the log archive's access-log bucket).
   */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Key prefix of the access logs in the bucket.
   * @default 'mcp-endpoint'
   */
  readonly accessLogPrefix?: string;
  /** KMS key that encrypts the web ACL's log group (e.g. `KeyRing.logs`). */
  readonly logEncryptionKey: kms.IKey;
  /**
   * Tuning of the web ACL the load balancer always gets.
   * @default - the McpWebAcl defaults
   */
  readonly webAcl?: McpWebAclOptions;
  /**
   * Open port 80 only to redirect to HTTPS. Off by default: MCP clients must use HTTPS (the
   * authorization spec requires it), and a listening port 80 is attack surface that invites
   * a client to send its bearer token in clear text before being redirected. Turning it on
   * acknowledges the gate findings about the plain-HTTP listener, visibly in the template.
   * @default false
   */
  readonly httpRedirect?: boolean;
  /**
   * How long an idle connection stays open. SSE streams need the gateway to send
   * keep-alive events more often than this.
   * @default Duration.seconds(60)
   */
  readonly idleTimeout?: Duration;
}

/** How the MCP gateway is registered behind the load balancer. */
export interface McpTargetOptions {
  /**
   * The targets, e.g. `fargateService.loadBalancerTarget({ containerName, containerPort })`
   * or `new elbv2_targets.IpTarget(address)`.
   */
  readonly targets: elbv2.IApplicationLoadBalancerTarget[];
  /** Port the targets listen on. */
  readonly port: number;
  /**
   * Protocol to the targets and of their health checks. HTTP sends MCP traffic, bearer
   * tokens included, unencrypted inside the VPC.
   * @default elbv2.ApplicationProtocol.HTTPS
   */
  readonly protocol?: elbv2.ApplicationProtocol;
  /**
   * Path of the health check.
   * @default - the web ACL's health path ('/health')
   */
  readonly healthCheckPath?: string;
  /**
   * For targets that are not connectable (IP targets): the addresses the load balancer may
   * reach on `port`. Connectable targets (ECS services) open their own path.
   * @default - no egress is added; IP targets are unreachable until one is given
   */
  readonly ipTargetPeer?: ec2.IPeer;
}

/**
 * An Application Load Balancer for an MCP endpoint: HTTPS on 443 only with a TLS 1.2/1.3
 * policy, invalid header fields dropped, strictest desync mitigation, access logs, deletion
 * protection, its own security group (443 from clients, egress only to its targets) and an
 * McpWebAcl that it always creates and attaches, so the WAF cannot be forgotten.
 *
 * Requests are forwarded only on the MCP routes (see `addMcpTarget`); anything else gets 404.
 */
export class SecureLoadBalancer extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The HTTPS listener on port 443. */
  public readonly listener: elbv2.ApplicationListener;
  /** The load balancer's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The web ACL attached to the load balancer. */
  public readonly webAcl: McpWebAcl;
  private readonly vpc: ec2.IVpc;
  private targetGroup?: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: SecureLoadBalancerProps) {
    super(scope, id);
    const internetFacing = props.internetFacing ?? false;
    const clientPeers = props.clientPeers ?? (internetFacing ? [ec2.Peer.anyIpv4()] : []);
    const sslPolicy = props.sslPolicy ?? elbv2.SslPolicy.TLS13_12_RES_PQ;
    const httpRedirect = props.httpRedirect ?? false;
    validateSecureLoadBalancerProps(this.node.path, { ...props, internetFacing, clientPeers, sslPolicy });
    this.vpc = props.vpc;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'MCP endpoint load balancer: HTTPS from clients, egress only to its targets',
      allowAllOutbound: false,
    });
    for (const peer of clientPeers) {
      this.securityGroup.addIngressRule(peer, ec2.Port.tcp(443), 'MCP clients over HTTPS');
      if (httpRedirect) this.securityGroup.addIngressRule(peer, ec2.Port.tcp(80), 'Redirect to HTTPS only');
    }
    const worldCidrs = worldCidrsOf(clientPeers);
    if (worldCidrs.length > 0) acknowledgePublicHttps(this.securityGroup);

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Resource', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      internetFacing,
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      deletionProtection: true,
      idleTimeout: props.idleTimeout ?? Duration.seconds(60),
    });
    // Fail closed when WAF cannot be reached; stated explicitly because CDK omits the default.
    this.loadBalancer.setAttribute('waf.fail_open.enabled', 'false');
    this.loadBalancer.logAccessLogs(props.accessLogBucket, props.accessLogPrefix ?? 'mcp-endpoint');
    acknowledgeImportedAccessLogBucket(this.loadBalancer, props.accessLogBucket);

    this.listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: props.certificates,
      sslPolicy,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'application/json', messageBody: '{"error":"not_found"}' }),
    });
    if (httpRedirect) {
      const redirect = this.loadBalancer.addListener('HttpRedirect', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
      });
      acknowledgeHttpRedirect(redirect, this.securityGroup, worldCidrs);
    }

    this.webAcl = new McpWebAcl(this, 'WebAcl', {
      ...props.webAcl,
      protect: [this.loadBalancer],
      logEncryptionKey: props.logEncryptionKey,
    });

    declarePrinciples(this,
      'secure-by-default/encryption', 'defense-in-depth/network', 'isolation/network',
      'secure-by-default/logging', 'secure-by-default/fail-secure');
  }

  /**
   * Register the MCP gateway: a target group with health checks, forwarded to only on the
   * routes the web ACL admits. An endpoint has one target group; a second call throws.
   */
  public addMcpTarget(id: string, options: McpTargetOptions): elbv2.ApplicationTargetGroup {
    if (this.targetGroup) {
      throw new Error(`SecureLoadBalancer ${this.node.path} already forwards to '${this.targetGroup.node.id}'; an MCP endpoint has one target group`);
    }
    const protocol = options.protocol ?? elbv2.ApplicationProtocol.HTTPS;
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, id, {
      vpc: this.vpc,
      port: options.port,
      protocol,
      targets: options.targets,
      healthCheck: {
        path: options.healthCheckPath ?? this.webAcl.healthPath,
        protocol: protocol === elbv2.ApplicationProtocol.HTTPS ? elbv2.Protocol.HTTPS : elbv2.Protocol.HTTP,
        healthyHttpCodes: '200',
      },
    });
    if (options.ipTargetPeer) {
      this.securityGroup.addEgressRule(options.ipTargetPeer, ec2.Port.tcp(options.port), 'MCP gateway targets');
    }
    addMcpRoutes(this, {
      listener: this.listener,
      targetGroup: this.targetGroup,
      mcpPaths: this.webAcl.mcpPaths,
      healthPath: this.webAcl.healthPath,
    });
    return this.targetGroup;
  }
}
