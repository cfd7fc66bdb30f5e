import { PinnedCatalog, ResourceRoutes } from './catalog';
import { prefixed, QualifiedName, unprefixed } from './names';
import { Upstream, UpstreamCall } from './upstream';
import { Principal } from '../auth/access-token-verifier';
import { Enforcement, Finding, RequestContext } from '../enforcement/types';
import { Logger } from '../observability/log';
import { Metrics } from '../observability/metrics';
import { SessionState } from '../transport/session-token';

/** Mints the token the gateway presents to an upstream. */
export interface UpstreamTokenSource {
  tokenFor(subject: string, audience: string): Promise<string>;
}

/** What the proxy reports of upstreams that look compromised (see `QuarantineRequester`). */
export interface IncidentSignals {
  /** Findings of a tool list just pinned for `upstream`. */
  toolsPinned(upstream: string, findings: readonly Finding[]): void;
  /** Findings of a result from `upstream` that a guardrail blocked. */
  resultBlocked(upstream: string, findings: readonly Finding[]): void;
}

/** Everything the proxy needs, shared by all sessions of one replica. */
export interface ProxyDeps {
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly tokens: UpstreamTokenSource;
  readonly enforcement: Enforcement;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Upper bound on one client request, including long-running tools that report progress. */
  readonly requestTimeoutMs: number;
  /** Which upstream tool lists this replica has pinned recently. */
  readonly catalog: PinnedCatalog;
  /** Which upstream serves which resource URI (aggregated endpoint). */
  readonly resources: ResourceRoutes;
  /** In-flight upstream exchanges by session and request id, so a cancellation can stop them. */
  readonly inflight: Map<string, { abort(): void }>;
  /** Receives signs of a compromised upstream; absent when quarantine requests are off. */
  readonly incidents?: IncidentSignals;
}

/** The aggregated endpoint's name in session state and audit targets. */
export const AGGREGATE = '*';

/**
 * One request's view of a session: who is calling, which upstreams the session spans, and how
 * to reach each of them (minted token, upstream session id, protocol version).
 */
export class SessionView {
  constructor(readonly deps: ProxyDeps, readonly principal: Principal, readonly state: SessionState, readonly signal?: AbortSignal) {}

  /** True on the aggregated endpoint, where names carry an upstream prefix. */
  get aggregated(): boolean {
    return this.state.ep === AGGREGATE;
  }

  /** Upstreams of this session that are still configured. */
  members(): Upstream[] {
    return Object.keys(this.state.up).map((name) => this.deps.upstreams.get(name)).filter((u): u is Upstream => u !== undefined);
  }

  /** A member upstream by name. */
  member(name: string): Upstream | undefined {
    return name in this.state.up ? this.deps.upstreams.get(name) : undefined;
  }

  /** Coordinates for one exchange with `upstream`. */
  async callFor(upstream: Upstream): Promise<UpstreamCall> {
    const coordinates = this.state.up[upstream.name] ?? {};
    return {
      token: await this.deps.tokens.tokenFor(this.principal.subject, upstream.audience),
      sessionId: coordinates.s,
      protocolVersion: coordinates.v,
      signal: this.signal,
      maxDurationMs: this.deps.requestTimeoutMs,
    };
  }

  /** The enforcement context of one request. */
  context(method: string, requestId: string | number, upstream?: string): RequestContext {
    return {
      subject: this.principal.subject,
      scopes: [...this.principal.scopes],
      sessionId: this.state.sid,
      clientId: this.principal.clientId,
      requestId,
      method,
      upstream,
    };
  }

  /** The name a client sees for an upstream item. */
  expose(upstream: string, name: string): string {
    return this.aggregated ? prefixed(upstream, name) : name;
  }

  /** The upstream item behind a name the client used; `undefined` when it names no member. */
  resolve(exposed: string): QualifiedName | undefined {
    if (!this.aggregated) return { upstream: this.state.ep, name: exposed };
    const qualified = unprefixed(exposed);
    return qualified !== undefined && this.member(qualified.upstream) !== undefined ? qualified : undefined;
  }
}
