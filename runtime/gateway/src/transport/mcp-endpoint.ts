import { IncomingMessage, ServerResponse } from 'node:http';
import { InitializeRequest, isInitializeRequest, JSONRPCMessage, JSONRPCRequest, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { ClientResponse, ClientStream } from './client-response';
import { BodyTooLargeError, readBody, SECURITY_HEADERS, sendJson } from './http-io';
import { jsonRpcError, JsonRpcCode, parseJsonRpc } from './jsonrpc';
import { isRequest } from './jsonrpc-message';
import { SessionCodec, SessionState } from './session-token';
import { Principal } from '../auth/access-token-verifier';
import { AuditEvent } from '../enforcement/types';
import { forwardClientMessage, inflightKey } from '../proxy/client-messages';
import { deliver } from '../proxy/deliver';
import { GatewayErrorCode, RpcError } from '../proxy/errors';
import { HttpRejection, Prepared } from '../proxy/outcomes';
import { prepareRequest } from '../proxy/prepare';
import { establishSession, RevokedSessions, terminateSession } from '../proxy/session';
import { openMergedStream } from '../proxy/streams';
import { ProxyDeps, SessionView } from '../proxy/view';

/** Outcome of authenticating an HTTP request. */
export type Authentication = { readonly principal: Principal } | { readonly rejection: HttpRejection };

/** What the MCP endpoint handler needs. */
export interface McpEndpointDeps {
  readonly proxy: ProxyDeps;
  readonly codec: SessionCodec;
  readonly revoked: RevokedSessions;
  readonly sessionTtlSeconds: number;
  readonly maxBodyBytes: number;
  readonly maxBatchSize: number;
  /** `WWW-Authenticate` value for a step-up to `scopes`. */
  readonly stepUpChallenge: (scopes: string[]) => string;
  /** Audit record for requests refused before JSON-RPC (HTTP-level); failures are logged. */
  readonly auditRejection: (event: AuditEvent) => Promise<void>;
}

/**
 * Serves one request to an MCP endpoint (`endpoint` is `*` or an upstream name) after Origin
 * and token checks. The gateway does its own checks and upstream work first, while it can still
 * choose the HTTP status, then frames the answer (JSON or SSE, see {@link ClientResponse}).
 * Session state lives in the encrypted session id.
 */
export async function handleMcpRequest(
  deps: McpEndpointDeps, req: IncomingMessage, res: ServerResponse, principal: Principal, endpoint: string,
): Promise<void> {
  const controller = new AbortController();
  // Only a client that leaves before its answer is complete aborts the upstream work (an abort
  // after a finished response would cost an AbortError per request for nothing).
  res.once('close', () => { if (!res.writableFinished) controller.abort(); });
  try {
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      throw new HttpRejection(400, `Bad Request: Unsupported protocol version: ${version}`);
    }
    if (req.method === 'POST') return await handlePost(deps, req, res, principal, endpoint, controller.signal);
    if (req.method === 'GET') return await handleGet(deps, req, res, principal, endpoint, controller.signal);
    if (req.method === 'DELETE') {
      const view = new SessionView(deps.proxy, principal, openSession(deps, req, principal, endpoint), controller.signal);
      await terminateSession(view, deps.revoked);
      res.writeHead(200, SECURITY_HEADERS).end();
      return;
    }
    throw new HttpRejection(405, 'Method not allowed', { allow: 'GET, POST, DELETE' });
  } catch (error) {
    if (!(error instanceof HttpRejection)) throw error;
    deps.proxy.metrics.inc('mcp_gateway_rejections_total', { status: String(error.status) });
    await deps.auditRejection({ method: `http:${error.status}`, decision: 'deny', subject: principal.subject, httpStatus: error.status, reasons: [error.message] });
    sendJson(res, error.status, jsonRpcError(null, error.rpcCode, error.message), error.headers);
  }
}

async function handlePost(
  deps: McpEndpointDeps, req: IncomingMessage, res: ServerResponse, principal: Principal, endpoint: string, signal: AbortSignal,
): Promise<void> {
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    throw new HttpRejection(406, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new HttpRejection(415, 'Unsupported Media Type: Content-Type must be application/json');
  let body: string;
  try {
    body = await readBody(req, deps.maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new HttpRejection(413, `Payload Too Large: request body exceeds ${error.limit} bytes`, { connection: 'close' });
    throw error;
  }
  const parsed = parseJsonRpc(body, deps.maxBatchSize);
  if (!parsed.ok) {
    deps.proxy.metrics.inc('mcp_gateway_rejections_total', { status: '400' });
    await deps.auditRejection({ method: 'http:400', decision: 'deny', subject: principal.subject, httpStatus: 400, rpcErrorCode: parsed.code, reasons: [parsed.message] });
    sendJson(res, 400, jsonRpcError(parsed.id, parsed.code, parsed.message));
    return;
  }
  const messages = parsed.messages;
  const initialize = messages.find((m) => 'method' in m && m.method === 'initialize' && isInitializeRequest(m)) as (InitializeRequest & JSONRPCRequest) | undefined;
  let state: SessionState;
  const prepared = new Map<string | number, Prepared>();
  if (initialize !== undefined) {
    const sid = SessionCodec.newSid();
    const now = Math.floor(Date.now() / 1000);
    state = { sid, sub: principal.subject, ep: endpoint, iat: now, exp: now + deps.sessionTtlSeconds, pv: initialize.params.protocolVersion, up: {} };
    const ctx = new SessionView(deps.proxy, principal, state).context('initialize', initialize.id, undefined);
    const target = { kind: 'method', name: 'initialize', upstream: endpoint } as const;
    const decision = await deps.proxy.enforcement.authorize(ctx, target);
    const audit = { ctx, target, decision, started: Date.now() };
    if (!decision.allow) {
      if (decision.stepUp && decision.requiredScopes !== undefined) throw new HttpRejection(403, 'insufficient_scope', { 'www-authenticate': deps.stepUpChallenge(decision.requiredScopes) });
      prepared.set(initialize.id, { kind: 'error', error: new RpcError(GatewayErrorCode.Forbidden, 'Forbidden by policy'), audit });
    } else {
      let established;
      try {
        established = await establishSession(deps.proxy, deps.codec, principal, endpoint, initialize, deps.sessionTtlSeconds, sid);
      } catch {
        throw new HttpRejection(502, 'No upstream could be initialized', {}, JsonRpcCode.InternalError);
      }
      state = established.state;
      res.setHeader('mcp-session-id', established.sessionId);
      prepared.set(initialize.id, { kind: 'result', result: established.result, audit });
    }
  } else {
    state = openSession(deps, req, principal, endpoint);
  }
  const view = new SessionView(deps.proxy, principal, state, signal);

  // Phase 1: everything that can still change the HTTP status.
  try {
    for (const message of messages) {
      if (message === initialize) continue;
      if (isRequest(message)) prepared.set(message.id, await prepareRequest(view, message, deps.stepUpChallenge));
      else await forwardClientMessage(view, message);
    }
  } catch (error) {
    for (const p of prepared.values()) if (p.kind === 'forward') await p.exchange.close();
    if (error instanceof HttpRejection && error.status === 404) await terminateSession(view, deps.revoked);
    throw error;
  }
  const requests = messages.filter(isRequest);
  if (requests.length === 0) {
    res.writeHead(202, SECURITY_HEADERS).end();
    return;
  }

  // Phase 2: deliver() completes each request on the client's response (JSON or SSE).
  const answer = new ClientResponse(res, requests.map((r) => r.id), parsed.batch);
  for (const request of requests) {
    const outcome = prepared.get(request.id)!;
    // A client's notifications/cancelled for this request stops its upstream exchange.
    const key = outcome.kind === 'forward' ? inflightKey(state.sid, request.id) : undefined;
    if (outcome.kind === 'forward') deps.proxy.inflight.set(key!, outcome.exchange);
    void deliver(view, request, outcome, answer)
      .catch((error: unknown) => deps.proxy.log.error('request failed', { error, method: request.method }))
      .finally(() => { if (key !== undefined) deps.proxy.inflight.delete(key); });
  }
}

async function handleGet(
  deps: McpEndpointDeps, req: IncomingMessage, res: ServerResponse, principal: Principal, endpoint: string, signal: AbortSignal,
): Promise<void> {
  if (!(req.headers.accept ?? '').includes('text/event-stream')) throw new HttpRejection(406, 'Not Acceptable: Client must accept text/event-stream');
  const view = new SessionView(deps.proxy, principal, openSession(deps, req, principal, endpoint), signal);
  // Messages that arrive before the client's stream is open (the status is not chosen yet) wait.
  let stream: ClientStream | undefined;
  const early: JSONRPCMessage[] = [];
  let ended = false;
  const merged = await openMergedStream(view, (message) => (stream ? stream.send(message) : early.length < 1000 && early.push(message)), () => {
    ended = true;
    stream?.end();
  });
  if (merged.opened === 0) throw new HttpRejection(405, 'No upstream offers a standalone stream', { allow: 'POST, DELETE' });
  if (signal.aborted) {
    await merged.close();
    return;
  }
  res.once('close', () => void merged.close());
  stream = new ClientStream(res);
  for (const message of early.splice(0)) stream.send(message);
  if (ended) stream.end();
}

/**
 * Opens the session named by `Mcp-Session-Id`. Anything that does not decrypt, belongs to
 * another subject or endpoint, expired, or was terminated is "not found" (404), with no hint
 * of which: a session id presented by another subject must not be told apart from garbage.
 */
function openSession(deps: McpEndpointDeps, req: IncomingMessage, principal: Principal, endpoint: string): SessionState {
  const header = req.headers['mcp-session-id'];
  if (typeof header !== 'string' || header.length === 0) throw new HttpRejection(400, 'Bad Request: Mcp-Session-Id header is required');
  const state = deps.codec.open(header);
  const now = Math.floor(Date.now() / 1000);
  if (state === undefined || state.sub !== principal.subject || state.ep !== endpoint || state.exp < now || deps.revoked.has(state.sid, now)) {
    throw new HttpRejection(404, 'Session not found', {}, -32001);
  }
  return state;
}
