import { randomUUID } from 'node:crypto';
import { GatewayErrorCode, RpcError } from './errors';
import { requestUpstream, Upstream, UpstreamError } from './upstream';
import { SessionView } from './view';
import { Finding, ListKind, ToolDefinition } from '../enforcement/types';
import { isErrorResponse } from '../transport/jsonrpc-message';

/** The list methods the proxy aggregates, with the result field and item kind of each. */
export const LIST_METHODS = {
  'tools/list': { field: 'tools', kind: 'tool' },
  'prompts/list': { field: 'prompts', kind: 'prompt' },
  'resources/list': { field: 'resources', kind: 'resource' },
  'resources/templates/list': { field: 'resourceTemplates', kind: 'resource' },
} as const satisfies Record<string, { field: string; kind: ListKind }>;

/** A method the proxy lists across upstreams. */
export type ListMethod = keyof typeof LIST_METHODS;

/** Upstream pages read per list, so a misbehaving upstream cannot keep the gateway paging. */
const MAX_PAGES = 20;

type Item = { name?: string; uri?: string; uriTemplate?: string } & Record<string, unknown>;

/** What one list produced, for the response and the audit record. */
export interface ListOutcome {
  readonly items: Item[];
  readonly findings: Finding[];
}

/**
 * Lists `method` on every member upstream (all pages; the gateway answers with one page),
 * pins tool definitions, keeps only what the caller may see, and prefixes names on the
 * aggregated endpoint. On the aggregated endpoint an unreachable upstream is left out and
 * logged, so one broken server does not take the others down; a per-upstream endpoint fails.
 */
export async function aggregateList(view: SessionView, method: ListMethod, requestId: string | number): Promise<ListOutcome> {
  const outcomes = await Promise.all(view.members().map(async (upstream) => {
    try {
      return await listOne(view, upstream, method, requestId);
    } catch (error) {
      if (!view.aggregated || (error instanceof UpstreamError && error.sessionGone)) throw error;
      view.deps.log.warn('upstream left out of aggregated list', { upstream: upstream.name, method, error });
      return { items: [], findings: [] };
    }
  }));
  return { items: outcomes.flatMap((o) => o.items), findings: outcomes.flatMap((o) => o.findings) };
}

async function listOne(view: SessionView, upstream: Upstream, method: ListMethod, requestId: string | number): Promise<ListOutcome> {
  const { field, kind } = LIST_METHODS[method];
  let items = await fetchAll(view, upstream, method, field);
  let findings: Finding[] = [];
  const { enforcement, catalog, resources } = view.deps;
  if (method === 'tools/list') {
    const pinned = enforcement.pinTools(upstream.name, items as Array<Item & ToolDefinition>);
    catalog.markPinned(upstream.name);
    view.deps.incidents?.toolsPinned(upstream.name, pinned.findings);
    items = pinned.tools;
    findings = pinned.findings;
  }
  if (method === 'resources/list') resources.learnResources(upstream.name, items.map((i) => i.uri).filter(isString));
  if (method === 'resources/templates/list') resources.learnTemplates(upstream.name, items.map((i) => i.uriTemplate).filter(isString));
  const visible = await enforcement.filterList(view.context(method, requestId, upstream.name), upstream.name, kind, items);
  const exposed = kind === 'resource' ? visible : visible.map((item) => ({ ...item, name: view.expose(upstream.name, String(item.name)) }));
  return { items: exposed, findings };
}

/** Reads every page of an upstream list. Upstreams without the capability yield nothing. */
export async function fetchAll(view: SessionView, upstream: Upstream, method: string, field: string): Promise<Item[]> {
  const call = await view.callFor(upstream);
  const items: Item[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let reply;
    try {
      reply = await requestUpstream(upstream, { jsonrpc: '2.0', id: `gw-${randomUUID()}`, method, params: cursor !== undefined ? { cursor } : {} }, call);
    } catch (error) {
      if (error instanceof UpstreamError && error.sessionGone) throw error;
      throw toRpcError(error);
    }
    const response = reply.response;
    if (isErrorResponse(response)) {
      if (response.error.code === GatewayErrorCode.MethodNotFound) return items;
      throw new RpcError(response.error.code, response.error.message);
    }
    const result = response.result as Record<string, unknown>;
    const pageItems = result[field];
    if (Array.isArray(pageItems)) items.push(...pageItems.filter((i): i is Item => typeof i === 'object' && i !== null));
    cursor = typeof result.nextCursor === 'string' && result.nextCursor.length > 0 ? result.nextCursor : undefined;
    if (cursor === undefined) break;
  }
  return items;
}

/** Maps an upstream failure to the JSON-RPC error the client receives. */
export function toRpcError(error: unknown): RpcError {
  if (error instanceof RpcError) return error;
  if (error instanceof UpstreamError) {
    if (error.reason === 'timeout') return new RpcError(GatewayErrorCode.RequestTimeout, error.message);
    return new RpcError(GatewayErrorCode.UpstreamUnavailable, error.message);
  }
  return new RpcError(GatewayErrorCode.InternalError, 'internal error');
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
