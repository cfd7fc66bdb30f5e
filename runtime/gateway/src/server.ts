import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AccessTokenVerifier, InvalidTokenError, Principal } from './auth/access-token-verifier';
import { bearerChallenge, BearerChallenge, extractBearer } from './auth/challenge';
import { metadataPath, metadataUrl, protectedResourceMetadata } from './auth/metadata';
import { enforcePosture } from './config/posture';
import { GatewayConfig } from './config/schema';
import { createEnforcement } from './enforcement/create-enforcement';
import { AuditEvent, Enforcement } from './enforcement/types';
import { EventPublisher } from './incidents/event-publisher';
import { quarantineRequesterFromConfig } from './incidents/from-config';
import { QuarantineRequester } from './incidents/quarantine-requester';
import { createLogger, Logger } from './observability/log';
import { Metrics } from './observability/metrics';
import { benchmarkEnforcement } from './proxy/benchmark-enforcement';
import { PinnedCatalog, ResourceRoutes } from './proxy/catalog';
import { HttpRejection } from './proxy/outcomes';
import { RevokedSessions } from './proxy/session';
import { latticeRequestSigner } from './proxy/sigv4';
import { Upstream } from './proxy/upstream';
import { upstreamPool } from './proxy/upstream-http';
import { AGGREGATE, ProxyDeps } from './proxy/view';
import { KmsSigner } from './tokens/kms-signer';
import { UpstreamTokenMinter } from './tokens/minter';
import { LocalSigner, TokenSigner } from './tokens/signer';
import { sendJson, sendText } from './transport/http-io';
import { jsonRpcError } from './transport/jsonrpc';
import { handleMcpRequest, McpEndpointDeps } from './transport/mcp-endpoint';
import { OriginPolicy } from './transport/origin';
import { resolveSessionKey } from './transport/session-key';
import { SessionCodec } from './transport/session-token';

/** What {@link Gateway.create} may be given instead of building it from the configuration. */
export interface GatewayOptions {
  readonly config: GatewayConfig;
  /** Enforcement point; built from `config.enforcement` when absent (ignored in benchmark mode). */
  readonly enforcement?: Enforcement;
  /** Signer of upstream tokens; built from `config.tokens.signer` when absent. */
  readonly signer?: TokenSigner;
  readonly kms?: KMSClient;
  readonly secretsManager?: SecretsManagerClient;
  /** Where quarantine requests go; an EventBridge publisher for `incidents.quarantineRequests.eventBusArn` when absent. */
  readonly eventPublisher?: EventPublisher;
  readonly log?: Logger;
}

const CORS_ALLOW_HEADERS = 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id';
const CORS_EXPOSE_HEADERS = 'mcp-session-id, www-authenticate';

/** The MCP security gateway: one HTTP(S) server with the MCP endpoints and the well-known documents. */
export class Gateway {
  /** Builds a gateway: posture check, keys, signer, enforcement. Nothing listens yet. */
  static async create(options: GatewayOptions): Promise<Gateway> {
    const { config } = options;
    const log = options.log ?? createLogger(config.logging.level);
    enforcePosture(config, (message, fields) => log.warn(message, fields));
    const metrics = new Metrics();
    const kms = options.kms ?? (config.tokens.signer.kind === 'kms' ? new KMSClient(config.tokens.signer.region !== undefined ? { region: config.tokens.signer.region } : {}) : undefined);
    const signer = options.signer ?? (config.tokens.signer.kind === 'kms'
      ? new KmsSigner(kms!, config.tokens.signer.keyId, (operation) => metrics.inc('mcp_gateway_kms_calls_total', { operation }))
      : new LocalSigner(config.tokens.signer.privateKeyPem));
    await signer.publicJwk();
    const clients = { kms: options.kms, secretsManager: options.secretsManager };
    const codec = new SessionCodec(await resolveSessionKey(config.sessions.key, clients),
      await Promise.all(config.sessions.previousKeys.map((k) => resolveSessionKey(k, clients))));
    const load = new InFlight();
    const enforcement = config.mode === 'benchmark' ? benchmarkEnforcement
      : options.enforcement ?? await createEnforcement(config.enforcement, { kms: options.kms, auditBusy: () => load.posts > 1 });
    const incidents = quarantineRequesterFromConfig(config, options.eventPublisher, log, metrics);
    return new Gateway(config, log, metrics, signer, codec, enforcement, incidents, load);
  }

  /** The underlying server; listen with {@link Gateway.listen}. */
  readonly server: http.Server;
  readonly minter: UpstreamTokenMinter;
  private readonly verifier: AccessTokenVerifier;
  private readonly origins: OriginPolicy;
  private readonly endpointDeps: McpEndpointDeps;
  private readonly resource: string;
  private ready = true;
  /** Bound to loopback (local development): the loopback names of the bound port are the gateway too. */
  private loopbackOrigins: OriginPolicy | undefined;
  private readonly loopback: boolean;

  private constructor(
    readonly config: GatewayConfig, readonly log: Logger, readonly metrics: Metrics,
    signer: TokenSigner, codec: SessionCodec, readonly enforcement: Enforcement, incidents: QuarantineRequester | undefined,
    private readonly load: InFlight,
  ) {
    const { server: srv, auth, tokens } = config;
    this.resource = auth.audience ?? srv.publicUrl;
    this.verifier = new AccessTokenVerifier({
      issuer: auth.issuer,
      audience: config.security.verifyAudience ? this.resource : undefined,
      algorithms: auth.algorithms,
      clockSkewSeconds: auth.clockSkewSeconds,
      jwksUri: auth.jwksUri,
      jwks: auth.jwks,
      jwksCacheSeconds: auth.jwksCacheSeconds,
      jwksCooldownSeconds: auth.jwksCooldownSeconds,
    });
    this.minter = new UpstreamTokenMinter({
      signer, issuer: tokens.issuer ?? srv.publicUrl, ttlSeconds: tokens.ttlSeconds, refreshBeforeSeconds: tokens.refreshBeforeSeconds,
    });
    this.loopback = ['127.0.0.1', 'localhost', '::1'].includes(srv.host);
    this.origins = new OriginPolicy([new URL(srv.publicUrl).origin, ...srv.allowedOrigins], [new URL(srv.publicUrl).host, ...srv.allowedHosts]);
    if (this.loopback) this.loopbackOrigins = OriginPolicy.forPublicUrl(srv.publicUrl, srv.allowedOrigins, srv.port);
    const proxy: ProxyDeps = {
      upstreams: new Map(config.upstreams.map((u): [string, Upstream] => [u.name, {
        name: u.name,
        url: new URL(u.url),
        audience: u.audience ?? u.url,
        timeoutMs: u.timeoutMs,
        pool: upstreamPool(new URL(u.url)),
        sign: u.awsIam ? latticeRequestSigner({ region: u.awsIam.region }) : undefined,
      }])),
      tokens: this.minter,
      enforcement,
      log,
      metrics,
      requestTimeoutMs: srv.limits.requestTimeoutMs,
      catalog: new PinnedCatalog(),
      resources: new ResourceRoutes(),
      inflight: new Map(),
      incidents,
    };
    this.endpointDeps = {
      proxy,
      codec,
      revoked: new RevokedSessions(),
      sessionTtlSeconds: config.sessions.ttlSeconds,
      maxBodyBytes: srv.limits.maxBodyBytes,
      maxBatchSize: srv.limits.maxBatchSize,
      stepUpChallenge: (scopes) => this.challenge({ error: 'insufficient_scope', scopes, description: 'additional scope required' }),
      auditRejection: (event) => this.audit(event),
    };
    // keepAliveTimeout above the load balancer's idle timeout (60 s), so the balancer closes first.
    const options: http.ServerOptions = {
      maxHeaderSize: srv.limits.maxHeaderBytes, requestTimeout: 60_000, headersTimeout: 15_000, keepAliveTimeout: 65_000,
    };
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res);
    this.server = srv.tls?.mode === 'direct'
      ? https.createServer({ ...options, cert: readFileSync(srv.tls.certFile), key: readFileSync(srv.tls.keyFile), minVersion: 'TLSv1.2' }, listener)
      : http.createServer(options, listener);
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      metrics.inc('mcp_gateway_rejections_total', { status: status.slice(0, 3) });
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      else socket.destroy();
    });
    metrics.gauge('mcp_gateway_resident_memory_bytes', 'Resident set size', () => process.memoryUsage().rss);
  }

  /** Starts listening on the configured host and port (port 0 picks a free one). */
  async listen(): Promise<AddressInfo> {
    const { host, port } = this.config.server;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const { publicUrl, allowedOrigins } = this.config.server;
    if (this.loopback) this.loopbackOrigins = OriginPolicy.forPublicUrl(publicUrl, allowedOrigins, address.port);
    this.log.info('gateway listening', { host, port: address.port, mode: this.config.mode, upstreams: this.config.upstreams.map((u) => u.name) });
    return address;
  }

  /**
   * Stops accepting connections and reports not-ready, lets requests in flight finish for up to
   * `graceMs` (then cuts what is left, such as long-lived SSE streams), and flushes the audit sink.
   */
  async close(graceMs = 0): Promise<void> {
    this.ready = false;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => this.server.closeAllConnections(), graceMs);
      // Keep-alive connections become idle as their last response ends; close them as they do.
      const sweep = setInterval(() => this.server.closeIdleConnections(), 50);
      this.server.close(() => {
        clearTimeout(force);
        clearInterval(sweep);
        resolve();
      });
      this.server.closeIdleConnections();
      if (graceMs === 0) this.server.closeAllConnections();
    });
    await Promise.all([...this.endpointDeps.proxy.upstreams.values()].map((upstream) => upstream.pool.destroy()));
    await this.enforcement.close();
  }

  /** The request listener (also usable without {@link listen}, e.g. behind another server). */
  handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = process.hrtime.bigint();
    if (req.method === 'POST') {
      this.load.posts++;
      res.once('close', () => this.load.posts--);
    }
    res.on('finish', () => {
      this.metrics.observe('mcp_gateway_http_request_duration_seconds', { method: req.method ?? 'OTHER', status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    this.route(req, res).catch((error: unknown) => {
      this.log.error('unhandled error', { error, path: req.url });
      sendJson(res, 500, jsonRpcError(null, -32603, 'Internal error'));
    });
  }

  private async route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') return sendJson(res, this.ready ? 200 : 503, this.readiness());
    if (req.method === 'GET' && path === '/metrics') return sendText(res, 200, this.metrics.render(), 'text/plain; version=0.0.4; charset=utf-8');
    if (req.method === 'GET' && (path === '/.well-known/oauth-protected-resource' || path === metadataPath(this.resource) || path.startsWith('/.well-known/oauth-protected-resource/mcp'))) {
      return sendJson(res, 200, protectedResourceMetadata({
        resource: this.resource,
        authorizationServers: this.config.auth.authorizationServers ?? [this.config.auth.issuer],
        scopesSupported: [...new Set([...this.config.auth.scopesSupported, ...this.config.auth.requiredScopes])],
      }), { 'access-control-allow-origin': '*' });
    }
    if (req.method === 'GET' && path === '/.well-known/jwks.json') return sendJson(res, 200, await this.minter.jwks(), { 'cache-control': 'public, max-age=300' });
    const endpoint = this.endpointOf(path);
    if (endpoint === undefined) return sendJson(res, 404, { error: 'not found' });
    return this.serveMcp(req, res, url, endpoint);
  }

  /** Readiness, and the policy store the decisions refer to (internal endpoint: the load balancer routes only `/mcp*` and `/.well-known/*`). */
  private readiness(): Record<string, string> {
    const { policyStoreId } = this.config.enforcement.authorization;
    return { status: this.ready ? 'ready' : 'draining', ...(policyStoreId !== undefined ? { policyStoreId } : {}) };
  }

  private endpointOf(path: string): string | undefined {
    if (path === '/mcp' || path === '/mcp/') return AGGREGATE;
    const match = /^\/mcp\/([a-z][a-z0-9-]{0,30})\/?$/.exec(path);
    return match !== null && this.endpointDeps.proxy.upstreams.has(match[1]) ? match[1] : undefined;
  }

  private async serveMcp(req: http.IncomingMessage, res: http.ServerResponse, url: URL, endpoint: string): Promise<void> {
    const benchmark = this.config.mode === 'benchmark';
    const origin = req.headers.origin;
    if (!benchmark && this.config.security.validateOrigin && !this.originAllowed(origin, req.headers.host)) {
      await this.audit({ method: 'http:403', decision: 'deny', httpStatus: 403, reasons: ['origin or host not allowed'] });
      this.metrics.inc('mcp_gateway_rejections_total', { status: '403' });
      return sendJson(res, 403, jsonRpcError(null, -32000, 'Forbidden: Origin not allowed'));
    }
    if (origin !== undefined) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSE_HEADERS);
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, DELETE', 'access-control-allow-headers': CORS_ALLOW_HEADERS, 'access-control-max-age': '600' }).end();
      return;
    }
    const authentication = benchmark ? { principal: { subject: 'benchmark', scopes: [], expiresAt: Number.MAX_SAFE_INTEGER } } : await this.authenticate(req, url);
    if ('rejection' in authentication) {
      const { rejection } = authentication;
      await this.audit({ method: `http:${rejection.status}`, decision: 'deny', httpStatus: rejection.status, reasons: [rejection.message] });
      this.metrics.inc('mcp_gateway_rejections_total', { status: String(rejection.status) });
      return sendJson(res, rejection.status, jsonRpcError(null, rejection.rpcCode, rejection.message), rejection.headers);
    }
    return handleMcpRequest(this.endpointDeps, req, res, authentication.principal, endpoint);
  }

  private originAllowed(origin: string | undefined, host: string | undefined): boolean {
    return this.origins.allows(origin, host) || this.loopbackOrigins?.allows(origin, host) === true;
  }

  private async authenticate(req: http.IncomingMessage, url: URL): Promise<{ principal: Principal } | { rejection: HttpRejection }> {
    const required = this.config.auth.requiredScopes;
    const extraction = extractBearer(req.headers, url);
    if (extraction.token === undefined) {
      const description = extraction.error !== undefined ? extraction.description : undefined;
      const header = this.challenge({ scopes: required, error: extraction.error, description });
      return { rejection: new HttpRejection(extraction.status, extraction.description, { 'www-authenticate': header }) };
    }
    let principal: Principal;
    try {
      principal = await this.verifier.verify(extraction.token);
    } catch (error) {
      const description = error instanceof InvalidTokenError ? error.description : 'token is invalid';
      return { rejection: new HttpRejection(401, description, { 'www-authenticate': this.challenge({ scopes: required, error: 'invalid_token', description }) }) };
    }
    const missing = required.filter((s) => !principal.scopes.includes(s));
    if (missing.length > 0) {
      const scopes = [...new Set([...principal.scopes, ...required])];
      return { rejection: new HttpRejection(403, 'insufficient_scope', { 'www-authenticate': this.challenge({ scopes, error: 'insufficient_scope', description: 'additional scope required' }) }) };
    }
    return { principal };
  }

  private challenge(params: Omit<BearerChallenge, 'resourceMetadata'>): string {
    return bearerChallenge({ resourceMetadata: metadataUrl(this.resource), ...params });
  }

  private async audit(event: AuditEvent): Promise<void> {
    try {
      await this.enforcement.record(event);
    } catch (error) {
      this.log.error('audit record of a rejected request failed', { error, method: event.method });
    }
  }
}

/** POST requests being served: other requests in flight mean more audit records are coming. */
class InFlight {
  posts = 0;
}
