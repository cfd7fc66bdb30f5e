import type { cedar } from './cedar-engine';
import type { ListKind, RequestContext } from '../types';
import { EntityRef, NAMESPACE } from './cedar-authorizer';
import type { ItemProfile } from './item-rules';

/** What pinning knows about a tool; absent for a tool no upstream listed (treated as quarantined). */
export interface ToolFacts {
  readonly definitionHash: string;
  readonly quarantined: boolean;
  /** From the pinned annotations: MCP's defaults make a tool destructive unless it says otherwise. */
  readonly annotatedDestructive: boolean;
}

const entityType = (name: string) => `${NAMESPACE}::${name}`;

/** A Cedar entity with a plain `{ type, id }` reference. */
export interface Entity extends cedar.EntityJson {
  readonly uid: EntityRef;
  readonly parents: EntityRef[];
}

/** The Cedar principal for a request context. */
export function principalEntity(ctx: RequestContext): Entity {
  if (ctx.principalType === 'client') {
    return { uid: { type: entityType('Client'), id: ctx.subject }, attrs: {}, parents: [] };
  }
  return { uid: { type: entityType('User'), id: ctx.subject }, attrs: ctx.clientId ? { clientId: ctx.clientId } : {}, parents: [] };
}

/** The Cedar context: scopes, risk, time (as Long numbers, see the schema) and routing. */
export function requestContext(ctx: RequestContext, upstream: string, method: string, riskScore: number, nowMs: number): cedar.Context {
  const now = new Date(nowMs);
  const context: cedar.Context = {
    scopes: [...ctx.scopes],
    riskScore: Math.min(Math.floor(riskScore), Number.MAX_SAFE_INTEGER),
    nowEpochSeconds: Math.floor(nowMs / 1000),
    hourOfDayUtc: now.getUTCHours(),
    dayOfWeekUtc: now.getUTCDay(),
    upstream,
    method,
    sessionId: ctx.sessionId,
  };
  if (ctx.clientId) context.clientId = ctx.clientId;
  return context;
}

/** An upstream as a resource (for the `list_*` actions on a whole upstream). */
export function upstreamEntity(upstream: string): Entity {
  return { uid: { type: entityType('Upstream'), id: upstream }, attrs: { name: upstream }, parents: [] };
}

/** A protocol method as a resource. */
export function methodEntity(method: string): Entity {
  return { uid: { type: entityType('Method'), id: method }, attrs: { name: method }, parents: [] };
}

/** A tool, resource or prompt as a resource, with its upstream and groups as parents. */
export function itemEntity(kind: ListKind, upstream: string, name: string, profile: ItemProfile, tool?: ToolFacts): Entity {
  const parents: EntityRef[] = [
    { type: entityType('Upstream'), id: upstream },
    ...profile.groups.map((g) => ({ type: entityType('ToolGroup'), id: g })),
  ];
  const common = { upstream, groups: profile.groups, requiredScopes: profile.requiredScopes };
  const id = `${upstream}/${name}`;
  switch (kind) {
    case 'tool':
      return {
        uid: { type: entityType('Tool'), id },
        attrs: {
          ...common,
          name,
          destructive: profile.destructive ?? tool?.annotatedDestructive ?? true,
          quarantined: tool?.quarantined ?? true,
          definitionHash: tool?.definitionHash ?? '',
        },
        parents,
      };
    case 'resource':
      return { uid: { type: entityType('Resource'), id }, attrs: { ...common, uri: name }, parents };
    case 'prompt':
      return { uid: { type: entityType('Prompt'), id }, attrs: { ...common, name }, parents };
  }
}
