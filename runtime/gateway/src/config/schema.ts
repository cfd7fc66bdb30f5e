import { z } from 'zod';
import { enforcementConfigSchema } from '../enforcement/config';
import { isEventBusArn } from '../incidents/event-publisher';
import { QUARANTINE_TRIGGERS } from '../incidents/quarantine-requester';

/**
 * JWS algorithms the gateway accepts on access tokens. `none` and the HMAC family are not
 * representable: a resource server that verifies with a public key must never accept a
 * symmetric algorithm (the "HS256 signed with the public key" confusion attack).
 */
export const ACCEPTED_TOKEN_ALGORITHMS = [
  'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA',
] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
// New-format ECS service ARNs (with the cluster name), as the incident-response function accepts them.
const ECS_SERVICE_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/[A-Za-z0-9_-]{1,255}\/[A-Za-z0-9_-]{1,255}$/;

const upstreamSchema = z.object({
  /** Prefix of this upstream's tools and prompts, and the last segment of its own endpoint. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'expected 1-31 lower-case letters, digits or "-", starting with a letter'),
  /** Streamable HTTP endpoint of the upstream MCP server. */
  url: httpUrl,
  /** Audience of the tokens minted for this upstream; defaults to `url`. */
  audience: z.string().min(1).optional(),
  /** Deadline for one upstream call, in milliseconds. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /**
   * Sign requests with SigV4 for a VPC Lattice service with `AWS_IAM` auth, in this region. The
   * minted token then travels in `x-mcp-upstream-authorization` beside the signature.
   */
  awsIam: z.object({ region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region such as us-east-1') }).strict().optional(),
  /** ECS service that runs this upstream: what a quarantine request names (`incidents.quarantineRequests`). */
  ecsServiceArn: z.string().regex(ECS_SERVICE_ARN, 'expected an ECS service ARN of the form arn:aws:ecs:<region>:<account>:service/<cluster>/<service>').optional(),
}).strict();

const tlsSchema = z.discriminatedUnion('mode', [
  /** The gateway terminates TLS itself with a certificate and key from files. */
  z.object({ mode: z.literal('direct'), certFile: z.string().min(1), keyFile: z.string().min(1) }).strict(),
  /** A load balancer in front of the gateway terminates TLS (the AWS deployment). */
  z.object({ mode: z.literal('load-balancer') }).strict(),
]);

const serverSchema = z.object({
  host: z.string().min(1).default('0.0.0.0'),
  port: z.number().int().min(0).max(65_535).default(8080),
  /** Canonical URI of this MCP server (RFC 8707): the audience clients request tokens for. */
  publicUrl: httpUrl,
  tls: tlsSchema.optional(),
  /** Browser origins allowed to call the gateway, in addition to the origin of `publicUrl`. */
  allowedOrigins: z.array(z.url()).default([]),
  /** `Host` header values accepted besides the host of `publicUrl` (and loopback names when bound locally). */
  allowedHosts: z.array(z.string().min(1)).default([]),
  limits: z.object({
    maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
    maxHeaderBytes: z.number().int().min(1024).max(64 * 1024).default(16 * 1024),
    /** JSON-RPC batches (removed from MCP in 2025-06-18) are refused when 0. */
    maxBatchSize: z.number().int().min(0).max(100).default(10),
    /** Overall deadline for one client request, in milliseconds (SSE streams excluded). */
    requestTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
  }).strict().prefault({}),
}).strict();

const authSchema = z.object({
  /** Exact `iss` value of the authorization server. */
  issuer: z.string().min(1),
  /** JWKS endpoint of the authorization server; fetched, cached and refreshed on unknown `kid`. */
  jwksUri: httpUrl.optional(),
  /** Inline JWKS instead of `jwksUri` (development issuer, tests). */
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
  /** Expected `aud`; defaults to `server.publicUrl`. */
  audience: z.string().min(1).optional(),
  algorithms: z.array(z.enum(ACCEPTED_TOKEN_ALGORITHMS, {
    error: `expected one of ${ACCEPTED_TOKEN_ALGORITHMS.join(', ')} (never none or HS*)`,
  })).min(1).default(['ES256', 'RS256']),
  clockSkewSeconds: z.number().int().min(0).max(300).default(30),
  /** Advertised in the protected resource metadata; defaults to `[issuer]`. */
  authorizationServers: z.array(httpUrl).optional(),
  /** Scopes every request must carry; also the `scope` in 401 challenges. */
  requiredScopes: z.array(z.string().min(1)).default([]),
  scopesSupported: z.array(z.string().min(1)).default([]),
  jwksCacheSeconds: z.number().int().min(0).max(86_400).default(600),
  jwksCooldownSeconds: z.number().int().min(0).max(3600).default(30),
}).strict().refine((a) => (a.jwksUri === undefined) !== (a.jwks === undefined), {
  message: 'set exactly one of jwksUri or jwks', path: ['jwksUri'],
});

const signerSchema = z.discriminatedUnion('kind', [
  /** AWS KMS asymmetric key, key spec ECC_NIST_P256, usage SIGN_VERIFY. */
  z.object({ kind: z.literal('kms'), keyId: z.string().min(1), region: z.string().min(1).optional() }).strict(),
  /** In-process P-256 key for development; ephemeral unless a PKCS#8 PEM is given. */
  z.object({ kind: z.literal('local'), privateKeyPem: z.string().min(1).optional() }).strict(),
]);

const tokensSchema = z.object({
  /** `iss` of minted upstream tokens; defaults to `server.publicUrl`. */
  issuer: z.string().min(1).optional(),
  ttlSeconds: z.number().int().min(30).max(3600).default(300),
  /** A cached token is replaced this long before it expires. */
  refreshBeforeSeconds: z.number().int().min(5).max(1800).default(60),
  signer: signerSchema.default({ kind: 'local' }),
}).strict().refine((t) => t.refreshBeforeSeconds < t.ttlSeconds, {
  message: 'must be smaller than tokens.ttlSeconds', path: ['refreshBeforeSeconds'],
});

const sessionKeySchema = z.discriminatedUnion('source', [
  /** Base64 key material (at least 32 bytes), e.g. injected from Secrets Manager as an env var. */
  z.object({ source: z.literal('inline'), value: z.string().min(1) }).strict(),
  /** Secrets Manager secret whose SecretString or SecretBinary is the base64 key material. */
  z.object({ source: z.literal('secrets-manager'), secretId: z.string().min(1) }).strict(),
  /** KMS-encrypted data key (GenerateDataKey CiphertextBlob, base64), decrypted once at start. */
  z.object({ source: z.literal('kms'), ciphertext: z.string().min(1), region: z.string().min(1).optional() }).strict(),
  /** A random key per process: sessions do not survive restarts or cross replicas. */
  z.object({ source: z.literal('ephemeral') }).strict(),
]);

const sessionsSchema = z.object({
  key: sessionKeySchema.default({ source: 'ephemeral' }),
  /** Older keys still accepted for decryption during rotation (same shape as `key`). */
  previousKeys: z.array(sessionKeySchema).default([]),
  ttlSeconds: z.number().int().min(60).max(7 * 86_400).default(86_400),
}).strict().prefault({});

const incidentsSchema = z.object({
  /**
   * `Quarantine Task` requests to the kit's incident response (`TaskQuarantine`) when an
   * upstream looks compromised: one event naming the upstream's `ecsServiceArn`, at most one per
   * upstream per `minIntervalSeconds` on each replica. Off by default.
   */
  quarantineRequests: z.object({
    enabled: z.boolean().default(false),
    /** Bus the requests go to (the one `TaskQuarantine` listens on); required when enabled. */
    eventBusArn: z.string().refine(isEventBusArn, 'expected an EventBridge event bus ARN').optional(),
    /** What sends a request; `injection-in-result` is left out by default (see the README). */
    triggers: z.array(z.enum(QUARANTINE_TRIGGERS)).min(1).default(['tool-drift', 'tool-renamed']),
    minIntervalSeconds: z.number().int().min(60).max(86_400).default(900),
  }).strict().refine((q) => !q.enabled || q.eventBusArn !== undefined, { message: 'required when quarantine requests are enabled', path: ['eventBusArn'] })
    .prefault({}),
}).strict();

const securitySchema = z.object({
  verifyAudience: z.boolean().default(true),
  validateOrigin: z.boolean().default(true),
  /** Forwarding the client's token upstream. Forbidden by the MCP spec; exists only to be refused. */
  tokenPassthrough: z.boolean().default(false),
}).strict().prefault({});

/** Schema of the gateway configuration (file and environment merged). */
export const GatewayConfigSchema = z.object({
  /**
   * `production` enforces the startup posture; `development` allows weakening with a loud
   * warning on every start; `benchmark` turns authentication and enforcement off entirely and
   * exists only to measure the cost of security.
   */
  mode: z.enum(['production', 'development', 'benchmark']).default('production'),
  server: serverSchema,
  auth: authSchema,
  tokens: tokensSchema.prefault({}),
  sessions: sessionsSchema,
  security: securitySchema,
  upstreams: z.array(upstreamSchema).min(1).refine(
    (ups) => new Set(ups.map((u) => u.name)).size === ups.length, 'upstream names must be unique'),
  /** Cedar authorization, tool pinning, guardrails, adaptive risk and audit (the enforcement layer's schema). */
  enforcement: enforcementConfigSchema.prefault({}),
  incidents: incidentsSchema.prefault({}),
  logging: z.object({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).strict().prefault({}),
}).strict();

/** Validated gateway configuration with defaults applied. */
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
/** One upstream MCP server. */
export type UpstreamConfig = GatewayConfig['upstreams'][number];
/** Where the session-encryption key comes from. */
export type SessionKeySource = z.infer<typeof sessionKeySchema>;
/** Which key signs minted upstream tokens. */
export type SignerConfig = z.infer<typeof signerSchema>;
/** Configuration as written by a user, before defaults. */
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
