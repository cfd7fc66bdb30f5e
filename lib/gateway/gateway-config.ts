import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';

/** Environment variable holding the gateway's JSON configuration document. */
export const GATEWAY_CONFIG_ENV = 'MCP_GATEWAY_CONFIG';
/** Environment variable holding the base64 session-encryption key, injected from Secrets Manager. */
export const GATEWAY_SESSION_KEY_ENV = 'MCP_GATEWAY_SESSION_KEY';
/** Port the gateway container listens on. */
export const GATEWAY_PORT = 8080;
/** Liveness path of the gateway: 200 while the process serves requests. */
export const GATEWAY_HEALTH_PATH = '/healthz';
/** The gateway's aggregate MCP endpoint; per-upstream endpoints are `/mcp/<upstream name>`. */
export const GATEWAY_MCP_PATH = '/mcp';
/**
 * `purpose` in the KMS encryption context of the gateway's audit data keys; the other keys are
 * `gateway` (the gateway name) and `chain` (one per process).
 */
export const AUDIT_KEY_PURPOSE = 'mcp-audit-payload';

/** An upstream that authorizes its callers with IAM, such as an `McpLatticeService`. */
export interface IUpstreamAccess {
  /**
   * Region in which the gateway signs requests to this upstream with SigV4 (VPC Lattice
   * `AWS_IAM` auth); the minted token then travels in `x-mcp-upstream-authorization`.
   * @default - requests are not signed
   */
  readonly sigV4Region?: string;
  /**
   * Let `role` (the gateway's task role) invoke the upstream: name it in the upstream's
   * resource policy and grant it the invoke permission.
   */
  allowInvokeFrom(role: iam.IRole): void;
}

/** What encrypts the hop from the gateway to an upstream. */
export type UpstreamTransport = 'https' | 'service-connect-tls';

/** An upstream MCP server behind the gateway. */
export interface GatewayUpstream {
  /**
   * Prefix of the upstream's tools and last segment of its gateway endpoint (`/mcp/<name>`):
   * 1 to 31 lowercase letters, digits or '-', starting with a letter. Unique per gateway.
   */
  readonly name: string;
  /**
   * Streamable HTTP endpoint of the upstream; https, since the gateway sends it bearer tokens,
   * unless `transport` says what else encrypts the hop.
   */
  readonly url: string;
  /**
   * What encrypts the hop to the upstream. `'service-connect-tls'`: the upstream is a server of
   * an ECS Service Connect mesh with TLS (`ServiceConnectMesh.addServer`), the gateway's service
   * is a client of that mesh, and `url` is the server's `http://<alias>:<port><path>`: the
   * gateway's container speaks plain HTTP only to the Service Connect proxy in its own task,
   * which encrypts the hop to the server's proxy with TLS 1.3.
   * @default 'https' - `url` must be https
   */
  readonly transport?: UpstreamTransport;
  /**
   * `aud` of the tokens the gateway mints for this upstream.
   * @default - the upstream's `url`
   */
  readonly audience?: string;
  /**
   * Deadline of one upstream call, from 100 ms to 10 minutes.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * The upstream's IAM authorization, e.g. the `McpLatticeService` publishing it: the gateway's
   * task role is allowed to invoke it.
   * @default - nothing is granted: the upstream does not authorize callers with IAM
   */
  readonly access?: IUpstreamAccess;
  /**
   * The ECS service that runs the upstream. With `quarantineRequestBus` on the gateway, a
   * quarantine request for this upstream names it, and the incident response isolates its tasks.
   * @default - quarantine requests cannot name this upstream
   */
  readonly ecsService?: ecs.IBaseService;
}

/** Per-session risk scores at which the gateway escalates. */
export interface GatewayRiskThresholds {
  /** At or above this score a request needs the step-up scope. */
  readonly stepUp: number;
  /** At or above this score the session is ended; greater than `stepUp`. */
  readonly endSession: number;
}

/** One authorization rule of the gateway: which scopes and Cedar groups matching items get. */
export interface GatewayAuthorizationRule {
  /** Kind of item the rule applies to. */
  readonly kind: 'tool' | 'resource' | 'prompt';
  /** Glob (`*` is any run of characters) over `<upstream>/<tool name, resource URI or prompt name>`. */
  readonly match: string;
  /**
   * Cedar groups the items belong to.
   * @default - none
   */
  readonly groups?: string[];
  /**
   * Scopes the access token needs for these items.
   * @default - none from this rule
   */
  readonly requiredScopes?: string[];
  /**
   * Whether the items change state; overrides what the untrusted tool annotations say.
   * @default - as the pinned tool definition declares
   */
  readonly destructive?: boolean;
}

/**
 * Approved tool-definition hashes (`sha256:<64 hex>`), by upstream name then tool name; a
 * tool whose definition hash is not listed is quarantined.
 */
export type GatewayToolPins = Readonly<Record<string, Readonly<Record<string, string | string[]>>>>;

/**
 * The configuration document the gateway runtime reads from `MCP_GATEWAY_CONFIG`. A subset of
 * the runtime's `GatewayConfigSchema`, written here so that construct code does not import
 * runtime code; a test validates generated documents with the runtime schema. It holds no
 * secret: the session key comes from `MCP_GATEWAY_SESSION_KEY`, which the runtime's loader
 * places at `sessions.key`.
 */
export interface GatewayConfigDocument {
  readonly mode: 'production';
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string;
    readonly tls: { readonly mode: 'load-balancer' };
  };
  readonly auth: {
    readonly issuer: string;
    readonly jwksUri: string;
    readonly audience: string;
    readonly scopesSupported: string[];
  };
  readonly tokens: {
    readonly ttlSeconds: number;
    readonly refreshBeforeSeconds: number;
    readonly signer: { readonly kind: 'kms'; readonly keyId: string };
  };
  readonly security: { readonly verifyAudience: true; readonly validateOrigin: true; readonly tokenPassthrough: false };
  readonly upstreams: Array<{
    readonly name: string;
    readonly url: string;
    readonly audience?: string;
    readonly timeoutMs: number;
    readonly awsIam?: { readonly region: string };
    readonly ecsServiceArn?: string;
  }>;
  readonly enforcement: {
    readonly gatewayName: string;
    /** `policyStoreId`: the Verified Permissions store holding the same policies, named in audit records and `/readyz`. */
    readonly authorization: { readonly rules: GatewayAuthorizationRule[]; readonly policyStoreId: string };
    readonly pinning: { readonly mode: 'enforce'; readonly approved: GatewayToolPins };
    readonly risk: { readonly stepUpThreshold: number; readonly endSessionThreshold: number };
    readonly audit: {
      readonly sink: { readonly type: 'stdout'; readonly format: 'jsonl' };
      readonly failureMode: 'closed';
      readonly encryption: { readonly kmsKeyId: string };
    };
  };
  /** Present when the gateway sends quarantine requests (default triggers: drift and renames of approved tools). */
  readonly incidents?: { readonly quarantineRequests: { readonly enabled: true; readonly eventBusArn: string } };
  readonly logging: { readonly level: 'info' };
}

/** What a gateway configuration document is made of, validated and with defaults applied. */
export interface GatewayConfigSettings {
  readonly publicUrl: string;
  readonly issuer: string;
  readonly jwksUri: string;
  readonly audience: string;
  readonly scopesSupported: string[];
  readonly tokenTtl: Duration;
  /** ARN of the ECC_NIST_P256 key signing minted tokens. */
  readonly signingKeyArn: string;
  /** ARN of the symmetric key wrapping audit data keys. */
  readonly auditKeyArn: string;
  readonly gatewayName: string;
  readonly upstreams: GatewayUpstream[];
  readonly authorizationRules: GatewayAuthorizationRule[];
  readonly toolPins: GatewayToolPins;
  readonly riskThresholds: GatewayRiskThresholds;
  /** ARN of the bus for quarantine requests; none are sent without it. */
  readonly quarantineRequestBusArn?: string;
}

/**
 * The production configuration document of a gateway behind a load balancer: TLS ends at the
 * load balancer, tokens are signed in KMS, tools stay quarantined until pinned, and audit
 * records go to standard output (the container log group) with payloads encrypted under KMS,
 * failing closed.
 */
export function gatewayConfigDocument(settings: GatewayConfigSettings, policyStoreId: string): GatewayConfigDocument {
  const ttlSeconds = settings.tokenTtl.toSeconds();
  return {
    mode: 'production',
    server: { host: '0.0.0.0', port: GATEWAY_PORT, publicUrl: settings.publicUrl, tls: { mode: 'load-balancer' } },
    auth: {
      issuer: settings.issuer,
      jwksUri: settings.jwksUri,
      audience: settings.audience,
      scopesSupported: settings.scopesSupported,
    },
    tokens: {
      ttlSeconds,
      // A cached token is renewed in the last fifth of its life, never later than a minute before expiry.
      refreshBeforeSeconds: Math.max(5, Math.min(60, Math.floor(ttlSeconds / 5))),
      signer: { kind: 'kms', keyId: settings.signingKeyArn },
    },
    security: { verifyAudience: true, validateOrigin: true, tokenPassthrough: false },
    upstreams: settings.upstreams.map((upstream) => ({
      name: upstream.name,
      url: upstream.url,
      ...(upstream.audience !== undefined ? { audience: upstream.audience } : {}),
      timeoutMs: (upstream.timeout ?? Duration.seconds(30)).toMilliseconds(),
      ...(upstream.access?.sigV4Region !== undefined ? { awsIam: { region: upstream.access.sigV4Region } } : {}),
      ...(upstream.ecsService !== undefined ? { ecsServiceArn: upstream.ecsService.serviceArn } : {}),
    })),
    enforcement: {
      gatewayName: settings.gatewayName,
      authorization: { rules: settings.authorizationRules, policyStoreId },
      pinning: { mode: 'enforce', approved: settings.toolPins },
      risk: { stepUpThreshold: settings.riskThresholds.stepUp, endSessionThreshold: settings.riskThresholds.endSession },
      audit: {
        // Plain JSON lines: the metric filters of the audit log group count them.
        sink: { type: 'stdout', format: 'jsonl' },
        failureMode: 'closed',
        encryption: { kmsKeyId: settings.auditKeyArn },
      },
    },
    ...(settings.quarantineRequestBusArn !== undefined
      ? { incidents: { quarantineRequests: { enabled: true, eventBusArn: settings.quarantineRequestBusArn } } }
      : {}),
    logging: { level: 'info' },
  };
}
