import { JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import { GatewayErrorCode, RpcError } from './errors';
import { aggregateList, fetchAll, LIST_METHODS, ListMethod, toRpcError } from './listing';
import { AuditDraft, HttpRejection, Prepared } from './outcomes';
import { requestUpstream, UpstreamError, UpstreamExchange } from './upstream';
import { AGGREGATE, SessionView } from './view';
import { Target } from '../enforcement/types';

/** Methods whose results carry upstream content and go through the result guardrails. */
const INSPECTED = new Set(['tools/call', 'prompts/get', 'resources/read']);

/**
 * Prepares one client request before the response starts: resolves what it targets, asks the
 * enforcement point, and either answers it, refuses it, or starts it at the upstream.
 * Throws {@link HttpRejection} when the answer has to be an HTTP status.
 */
export async function prepareRequest(view: SessionView, request: JSONRPCRequest, bearerChallenge: (scopes: string[]) => string): Promise<Prepared> {
  const started = Date.now();
  const params = (request.params ?? {}) as Record<string, unknown>;
  let target: Target;
  try {
    target = await resolveTarget(view, request.method, params);
  } catch (error) {
    const rpc = toRpcError(error);
    const audit: AuditDraft = { ctx: view.context(request.method, request.id), started };
    return { kind: 'error', error: rpc, audit };
  }
  const ctx = view.context(request.method, request.id, target.upstream === AGGREGATE ? undefined : target.upstream);
  const { enforcement } = view.deps;
  if (target.kind === 'tool' && !view.deps.catalog.isFresh(target.upstream)) await pinUpstreamTools(view, target.upstream);
  const decision = await enforcement.authorize(ctx, target);
  const audit: AuditDraft = { ctx, target, decision, started, arguments: request.method === 'tools/call' ? params.arguments : undefined };
  if (!decision.allow) {
    if (decision.endSession) throw new HttpRejection(404, 'Session ended by the risk policy');
    if (decision.stepUp && decision.requiredScopes !== undefined && decision.requiredScopes.length > 0) {
      throw new HttpRejection(403, 'insufficient_scope', { 'www-authenticate': bearerChallenge(decision.requiredScopes) });
    }
    if (decision.retryAfterSeconds !== undefined) {
      throw new HttpRejection(429, 'Too many requests', { 'retry-after': String(Math.max(1, Math.ceil(decision.retryAfterSeconds))) });
    }
    return { kind: 'error', error: new RpcError(GatewayErrorCode.Forbidden, 'Forbidden by policy'), audit };
  }

  if (request.method === 'ping') return { kind: 'result', result: {}, audit };
  if (request.method in LIST_METHODS) {
    try {
      const outcome = await aggregateList(view, request.method as ListMethod, request.id);
      audit.findings = outcome.findings;
      return { kind: 'result', result: { [LIST_METHODS[request.method as ListMethod].field]: outcome.items }, audit };
    } catch (error) {
      const gone = sessionGoneOr(error, () => undefined);
      if (gone !== undefined) throw gone;
      return { kind: 'error', error: toRpcError(error), audit };
    }
  }
  if (request.method === 'logging/setLevel') {
    await Promise.all(view.members().map(async (upstream) => {
      await requestUpstream(upstream, request, await view.callFor(upstream)).catch((error: unknown) => {
        const gone = sessionGoneOr(error, () => view.deps.log.warn('logging/setLevel failed upstream', { upstream: upstream.name, error }));
        if (gone !== undefined) throw gone;
      });
    }));
    return { kind: 'result', result: {}, audit };
  }
  if (target.upstream === AGGREGATE) return { kind: 'error', error: new RpcError(GatewayErrorCode.MethodNotFound, `Method not found: ${request.method}`), audit };

  const upstream = view.member(target.upstream);
  if (upstream === undefined) return { kind: 'error', error: new RpcError(GatewayErrorCode.InvalidParams, 'Unknown upstream'), audit };
  const forwarded: JSONRPCRequest = { ...request, params: rewriteParams(request.method, params, target) };
  try {
    const exchange = await UpstreamExchange.start(upstream, forwarded, await view.callFor(upstream));
    return { kind: 'forward', exchange, upstream: upstream.name, inspect: INSPECTED.has(request.method), audit };
  } catch (error) {
    const gone = sessionGoneOr(error, () => undefined);
    if (gone !== undefined) throw gone;
    return { kind: 'error', error: toRpcError(error), audit };
  }
}

/** Maps an upstream's 404 (it no longer knows the session) to the client's 404. */
export function sessionGoneOr(error: unknown, otherwise: () => void): HttpRejection | undefined {
  if (error instanceof UpstreamError && error.sessionGone) return new HttpRejection(404, 'Session not found', {}, -32001);
  otherwise();
  return undefined;
}

/** Lists and pins an upstream's tools on this replica (see PinnedCatalog). */
async function pinUpstreamTools(view: SessionView, upstreamName: string): Promise<void> {
  const upstream = view.member(upstreamName);
  if (upstream === undefined) return;
  try {
    const tools = await fetchAll(view, upstream, 'tools/list', 'tools');
    const pinned = view.deps.enforcement.pinTools(upstream.name, tools as Array<{ name: string }>);
    view.deps.catalog.markPinned(upstream.name);
    view.deps.incidents?.toolsPinned(upstream.name, pinned.findings);
  } catch (error) {
    // Unpinned tools are uncallable: the authorization that follows denies the call.
    view.deps.log.warn('could not pin upstream tools before a call', { upstream: upstream.name, error });
  }
}

async function resolveTarget(view: SessionView, method: string, params: Record<string, unknown>): Promise<Target> {
  switch (method) {
    case 'tools/call':
    case 'prompts/get': {
      const kind = method === 'tools/call' ? 'tool' : 'prompt';
      const qualified = typeof params.name === 'string' ? view.resolve(params.name) : undefined;
      if (qualified === undefined) throw new RpcError(GatewayErrorCode.InvalidParams, `Unknown ${kind}: ${String(params.name)}`);
      return { kind, name: qualified.name, upstream: qualified.upstream };
    }
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe': {
      if (typeof params.uri !== 'string') throw new RpcError(GatewayErrorCode.InvalidParams, 'params.uri must be a string');
      return { kind: 'resource', name: params.uri, upstream: await routeResource(view, params.uri) };
    }
    case 'completion/complete': {
      const ref = (params.ref ?? {}) as Record<string, unknown>;
      if (ref.type === 'ref/prompt' && typeof ref.name === 'string') return resolveTarget(view, 'prompts/get', { name: ref.name });
      if (ref.type === 'ref/resource' && typeof ref.uri === 'string') return resolveTarget(view, 'resources/read', { uri: ref.uri });
      throw new RpcError(GatewayErrorCode.InvalidParams, 'params.ref must name a prompt or a resource');
    }
    default:
      return { kind: 'method', name: method, upstream: view.aggregated ? AGGREGATE : view.state.ep };
  }
}

async function routeResource(view: SessionView, uri: string): Promise<string> {
  if (!view.aggregated) return view.state.ep;
  const members = view.members().map((u) => u.name);
  let owners = view.deps.resources.lookup(uri, members);
  if (owners.length === 0) {
    // This replica has not seen the lists that contain the URI yet: learn them once.
    await aggregateList(view, 'resources/list', 'gw-route').catch(() => undefined);
    await aggregateList(view, 'resources/templates/list', 'gw-route').catch(() => undefined);
    owners = view.deps.resources.lookup(uri, members);
  }
  if (owners.length === 0) throw new RpcError(GatewayErrorCode.ResourceNotFound, `Resource not found: ${uri}`);
  if (owners.length > 1) throw new RpcError(GatewayErrorCode.InvalidParams, `Resource ${uri} is served by several upstreams; use a per-upstream endpoint`);
  return owners[0];
}

function rewriteParams(method: string, params: Record<string, unknown>, target: Target): Record<string, unknown> {
  if (method === 'tools/call' || method === 'prompts/get') return { ...params, name: target.name };
  if (method === 'completion/complete') {
    const ref = params.ref as Record<string, unknown>;
    return ref.type === 'ref/prompt' ? { ...params, ref: { ...ref, name: target.name } } : params;
  }
  return params;
}
