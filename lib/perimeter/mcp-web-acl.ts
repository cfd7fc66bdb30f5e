import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { SecureLogGroup } from '../logging/secure-log-group';
import { mcpWebAclRules } from './private/mcp-web-acl-rules';
import { validateMcpWebAclProps } from './private/mcp-web-acl-validation';
import { visibility } from './private/waf-statements';

/** How the MCP web ACL is tuned; everything has a secure default. */
export interface McpWebAclOptions {
  /**
   * Exact paths of the MCP Streamable HTTP endpoint. POST, GET (SSE) and DELETE (session
   * termination) are allowed on them; every other path or method is blocked.
   * @default ['/mcp']
   */
  readonly mcpPaths?: string[];
  /**
   * Path answered by GET for external health checks. (ALB target health checks do not pass
   * through the web ACL.)
   * @default '/health'
   */
  readonly healthPath?: string;
  /**
   * Largest JSON-RPC request body, in bytes, between 1 KiB and 100 MiB. Enforced on the
   * declared `Content-Length` of POST requests (answer 413): on an Application Load Balancer
   * AWS WAF inspects only the first 8 KB of a body, so it cannot measure a larger one. The
   * gateway enforces the same limit on the bytes it actually reads and answers 413 too.
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Block a POST without a canonical `Content-Length` (answer 411). MCP clients send JSON-RPC
   * messages with a known length; turn this off only for clients that stream request bodies
   * without one (HTTP/2 allows it). Responses, such as SSE streams, are never affected.
   * @default true
   */
  readonly requireContentLength?: boolean;
  /**
   * Requests per `rateWindow` from one source IP address before it is blocked (429).
   * Between 10 and 2,000,000,000.
   * @default 2000
   */
  readonly ratePerIp?: number;
  /**
   * Requests per `rateWindow` carrying one `Authorization` header value (one bearer token)
   * before it is blocked (429). Between 10 and 2,000,000,000.
   * @default 1000
   */
  readonly ratePerAuthorization?: number;
  /**
   * The window the rate limits count over: 1, 2, 5 or 10 minutes.
   * @default Duration.minutes(5)
   */
  readonly rateWindow?: Duration;
  /**
   * Also block anonymizing services (VPNs, Tor, open proxies) with the AWS managed anonymous
   * IP list. Its hosting-provider rule only counts, because MCP clients are often agents
   * running in a cloud.
   * @default false
   */
  readonly blockAnonymousIps?: boolean;
}

/** Properties of an McpWebAcl. */
export interface McpWebAclProps extends McpWebAclOptions {
  /**
   * The load balancers the web ACL protects (at least one). Required, so that a web ACL is
   * never created without being attached.
   */
  readonly protect: elbv2.IApplicationLoadBalancer[];
  /** KMS key that encrypts the web ACL's log group (e.g. `KeyRing.logs`). */
  readonly logEncryptionKey: kms.IKey;
}

/**
 * An AWS WAF web ACL (REGIONAL) for an MCP endpoint served over Streamable HTTP, attached
 * to the load balancers it protects and logging every request.
 *
 * Rules, in order: a method/path allow-list (MCP paths, RFC 9728 metadata, health), MCP body
 * size rules, rate limits per bearer token and per IP, then the AWS IP reputation list,
 * optionally the anonymous IP list, known bad inputs and the core rule set (its 8 KB body
 * rule only counts). The allow-list blocks everything an MCP endpoint does not serve, so the
 * default action (allow) is reached only by MCP traffic that passed every other rule.
 *
 * `Authorization` and `Cookie` are replaced by `REDACTED` in logs and sampled requests, and
 * `Mcp-Session-Id` is hashed so a session can be followed without exposing it.
 */
export class McpWebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** ARN of the web ACL. */
  public readonly webAclArn: string;
  /** The `aws-waf-logs-*` log group receiving every request's log record. */
  public readonly logGroup: logs.ILogGroup;
  /** The MCP endpoint paths the allow-list admits. */
  public readonly mcpPaths: readonly string[];
  /** The health path the allow-list admits. */
  public readonly healthPath: string;
  /** The largest request body admitted, in bytes. */
  public readonly maxBodyBytes: number;

  constructor(scope: Construct, id: string, props: McpWebAclProps) {
    super(scope, id);
    this.mcpPaths = props.mcpPaths ?? ['/mcp'];
    this.healthPath = props.healthPath ?? '/health';
    this.maxBodyBytes = props.maxBodyBytes ?? 1_048_576;
    const settings = {
      mcpPaths: this.mcpPaths,
      healthPath: this.healthPath,
      maxBodyBytes: this.maxBodyBytes,
      requireContentLength: props.requireContentLength ?? true,
      ratePerIp: props.ratePerIp ?? 2000,
      ratePerAuthorization: props.ratePerAuthorization ?? 1000,
      rateWindowSeconds: (props.rateWindow ?? Duration.minutes(5)).toSeconds(),
      blockAnonymousIps: props.blockAnonymousIps ?? false,
    };
    validateMcpWebAclProps(this.node.path, props.protect, settings);

    const baseName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: mcpWebAclRules(settings),
      visibilityConfig: visibility(baseName),
      dataProtectionConfig: {
        dataProtections: [
          { field: { fieldType: 'SINGLE_HEADER', fieldKeys: ['authorization', 'cookie'] }, action: 'SUBSTITUTION' },
          { field: { fieldType: 'SINGLE_HEADER', fieldKeys: ['mcp-session-id'] }, action: 'HASH' },
        ],
      },
    });
    this.webAclArn = this.webAcl.attrArn;

    const logGroupName = `aws-waf-logs-${baseName}`;
    const destination = new SecureLogGroup(this, 'Logs', { encryptionKey: props.logEncryptionKey, logGroupName });
    this.logGroup = destination.logGroup;
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAclArn,
      // WAF wants the log group ARN without the ':*' suffix that CloudFormation returns. WAF
      // adds the log-group-level resource policy for log delivery itself when it is missing.
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      // Also redacted by the data protection above; kept here so the log configuration alone
      // shows that credentials never reach the logs. No logging filter: every request is kept.
      redactedFields: [{ singleHeader: { Name: 'authorization' } }, { singleHeader: { Name: 'cookie' } }],
    });
    logging.node.addDependency(destination);

    props.protect.forEach((loadBalancer, index) => {
      new wafv2.CfnWebACLAssociation(this, `Association${index}`, {
        resourceArn: loadBalancer.loadBalancerArn,
        webAclArn: this.webAclArn,
      });
    });

    declarePrinciples(this,
      'defense-in-depth/network', 'defense-in-depth/application', 'secure-by-default/fail-secure',
      'secure-by-default/logging', 'defense-in-depth/monitoring');
  }
}
