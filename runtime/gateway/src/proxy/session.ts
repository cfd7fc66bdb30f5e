import { randomUUID } from 'node:crypto';
import { InitializeRequest, LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { requestUpstream, terminateUpstream, Upstream } from './upstream';
import { AGGREGATE, ProxyDeps, SessionView } from './view';
import { Principal } from '../auth/access-token-verifier';
import { isErrorResponse } from '../transport/jsonrpc-message';
import { SessionCodec, SessionState } from '../transport/session-token';

/** Server name the gateway reports on the aggregated endpoint. */
export const GATEWAY_INFO = { name: 'mcp-security-gateway', version: '0.1.0' } as const;

/** Capabilities the gateway can proxy; anything else an upstream announces is not passed on. */
const PROXIED_CAPABILITIES = ['tools', 'resources', 'prompts', 'logging', 'completions'] as const;

/** Result of {@link establishSession}. */
export interface EstablishedSession {
  readonly state: SessionState;
  /** Value of the `Mcp-Session-Id` response header. */
  readonly sessionId: string;
  /** The gateway's `initialize` result. */
  readonly result: Record<string, unknown>;
  /** Upstreams that could not be initialized (left out of the session). */
  readonly failed: string[];
}

/**
 * Initializes a session: negotiates the protocol version, initializes every upstream of the
 * endpoint with the client's capabilities (so upstreams know whether sampling or elicitation
 * are available), and seals their session ids into the gateway's session id. Upstream
 * `instructions` are not passed on: they are unreviewed text addressed to the model.
 */
export async function establishSession(
  deps: ProxyDeps, codec: SessionCodec, principal: Principal, endpoint: string, request: InitializeRequest,
  ttlSeconds: number, sid: string = SessionCodec.newSid(),
): Promise<EstablishedSession> {
  const requested = request.params.protocolVersion;
  const protocolVersion = SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
  const members = endpoint === AGGREGATE
    ? [...deps.upstreams.values()]
    : [deps.upstreams.get(endpoint)].filter((u): u is Upstream => u !== undefined);
  const now = Math.floor(Date.now() / 1000);
  const bootstrap: SessionState = { sid, sub: principal.subject, ep: endpoint, iat: now, exp: now + ttlSeconds, pv: protocolVersion, up: {} };
  const view = new SessionView(deps, principal, bootstrap);
  const up: Record<string, { s?: string; v?: string }> = {};
  const capabilities: Record<string, unknown>[] = [];
  const failed: string[] = [];
  await Promise.all(members.map(async (upstream) => {
    try {
      const reply = await requestUpstream(upstream, {
        jsonrpc: '2.0',
        id: `gw-init-${randomUUID()}`,
        method: 'initialize',
        params: { protocolVersion, capabilities: request.params.capabilities, clientInfo: request.params.clientInfo },
      }, await view.callFor(upstream));
      if (isErrorResponse(reply.response)) throw new Error(reply.response.error.message);
      const result = reply.response.result as { protocolVersion?: string; capabilities?: Record<string, unknown> };
      up[upstream.name] = { s: reply.sessionId, v: result.protocolVersion };
      capabilities.push(result.capabilities ?? {});
    } catch (error) {
      failed.push(upstream.name);
      deps.log.warn('upstream failed to initialize', { upstream: upstream.name, error });
    }
  }));
  if (Object.keys(up).length === 0) throw new Error('no upstream could be initialized');
  const state: SessionState = { ...bootstrap, up };
  const serverInfo = endpoint === AGGREGATE ? GATEWAY_INFO : { name: `${GATEWAY_INFO.name}/${endpoint}`, version: GATEWAY_INFO.version };
  return {
    state,
    sessionId: codec.seal(state),
    result: { protocolVersion, capabilities: mergeCapabilities(capabilities, endpoint === AGGREGATE), serverInfo },
    failed,
  };
}

/** Terminates a session at every upstream (best effort) and remembers it as terminated. */
export async function terminateSession(view: SessionView, revoked: RevokedSessions): Promise<void> {
  revoked.add(view.state.sid, view.state.exp);
  await Promise.all(view.members().map(async (upstream) => {
    try {
      await terminateUpstream(upstream, await view.callFor(upstream));
    } catch (error) {
      view.deps.log.warn('upstream session termination failed', { upstream: upstream.name, error });
    }
  }));
}

function mergeCapabilities(all: Record<string, unknown>[], aggregated: boolean): Record<string, unknown> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const caps of all) {
    for (const name of PROXIED_CAPABILITIES) {
      const value = caps[name];
      if (typeof value !== 'object' || value === null) continue;
      merged[name] = { ...merged[name], ...(value as Record<string, unknown>) };
    }
  }
  // On the aggregated endpoint any upstream's list change is a change of the merged list.
  if (aggregated) for (const name of ['tools', 'resources', 'prompts']) if (merged[name] !== undefined) merged[name].listChanged = true;
  return merged;
}

/**
 * Sessions terminated on this replica, until they would have expired anyway. Other replicas
 * learn of a termination from the upstreams, which answer 404 for the terminated upstream
 * sessions; this list also covers upstreams that keep no session state.
 */
export class RevokedSessions {
  private readonly entries = new Map<string, number>();

  constructor(private readonly maxEntries = 100_000) {}

  add(sid: string, exp: number): void {
    this.entries.set(sid, exp);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  has(sid: string, now = Math.floor(Date.now() / 1000)): boolean {
    const exp = this.entries.get(sid);
    if (exp === undefined) return false;
    if (exp < now) {
      this.entries.delete(sid);
      return false;
    }
    return true;
  }
}
