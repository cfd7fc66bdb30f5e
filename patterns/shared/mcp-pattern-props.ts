import { Duration, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { McpServerSpec } from './mcp-server-spec';

/** What a pattern uses from its account's baseline stack. */
export interface IAccountBaseline {
  /** SSE-S3 bucket for load balancer access logs. */
  readonly accessLogsBucket: s3.IBucket;
  /** Encrypted topic for security findings and incident-response notifications. */
  readonly findingsTopic: sns.ITopic;
}

/** The pattern's VPC. */
export interface McpNetworkSpec {
  /** VPC CIDR, /16 to /22, private range. */
  readonly cidr: string;
  /** Explicit availability zones (no lookups at synth). */
  readonly availabilityZones: readonly string[];
}

/** The public (or internal) MCP endpoint clients connect to. */
export interface McpEndpointSpec {
  /** DNS name clients use, e.g. `mcp.example.com`. */
  readonly domainName: string;
  /**
   * Existing ACM certificate for `domainName`.
   * @default - a DNS-validated certificate is requested
   */
  readonly certificateArn?: string;
  /** Internet-facing ALB with WAF, or internal ALB (still with WAF). */
  readonly internetFacing: boolean;
}

/** A Cognito user pool as the authorization server. */
export interface CognitoIdentitySpec {
  readonly kind: 'cognito';
  /** Cognito domain prefix. */
  readonly domainPrefix: string;
  /** Pre-registered public MCP clients (PKCE). */
  readonly clients: ReadonlyArray<{ readonly name: string; readonly callbackUrls: readonly string[] }>;
  /** Access and ID token validity. */
  readonly accessTokenValidity: Duration;
  /** Refresh token validity. */
  readonly refreshTokenValidity: Duration;
}

/** An external OpenID Connect issuer as the authorization server. */
export interface OidcIdentitySpec {
  readonly kind: 'oidc';
  /** Issuer identifier (https). */
  readonly issuer: string;
  /**
   * The issuer's JWKS URL (its discovery document's `jwks_uri`): the gateway verifies access
   * tokens with these keys and fetches nothing else from the issuer at synth or start-up.
   */
  readonly jwksUri: string;
}

/** Who issues access tokens for the MCP endpoint. */
export type McpIdentitySpec = CognitoIdentitySpec | OidcIdentitySpec;

/** Runtime settings of the MCP security gateway. */
export interface McpGatewaySpec {
  /** Lifetime of tokens minted for upstreams. */
  readonly upstreamTokenLifetime: Duration;
  /** Risk score that demands step-up authorization. */
  readonly riskStepUpScore: number;
  /** Risk score that ends the session. */
  readonly riskEndSessionScore: number;
  /** Gateway tasks. */
  readonly desiredCount: number;
}

/** Properties every pattern stack takes. */
export interface McpPatternProps extends StackProps {
  /** Name used in resource names and aliases. */
  readonly projectName: string;
  /** The account baseline of the stack's account and region. */
  readonly baseline: IAccountBaseline;
  /** The pattern's VPC. */
  readonly network: McpNetworkSpec;
  /** The MCP endpoint. */
  readonly endpoint: McpEndpointSpec;
  /** The authorization server. */
  readonly identity: McpIdentitySpec;
  /** MCP servers behind the gateway. */
  readonly servers: readonly McpServerSpec[];
  /** Gateway settings. */
  readonly gateway: McpGatewaySpec;
  /** Retention of the pattern's log groups (at least one year). */
  readonly logRetention: logs.RetentionDays;
}
