import type { EnforcementConfig } from '../config';
import type { ListKind, RequestContext, Target } from '../types';
import { CedarAnswer, CedarAuthorizer, CedarRequest } from './cedar-authorizer';
import { ItemProfile, ItemRules } from './item-rules';
import type { LoadedPolicies } from './policy-loader';
import { Entity, ToolFacts, itemEntity, methodEntity, principalEntity, requestContext, upstreamEntity } from './request-builder';

/** An authorization outcome before rate limits and risk are applied. */
export interface AuthzOutcome {
  readonly allow: boolean;
  readonly reasons: string[];
  readonly policyIds: string[];
  readonly requiredScopes?: string[];
  readonly missingScopes?: string[];
  readonly stepUp?: boolean;
}

/** Facts an authorization request needs besides the request itself. */
export interface RequestFacts {
  readonly tool?: ToolFacts;
  readonly riskScore: number;
  readonly nowMs: number;
}

// Completing a prompt's or resource template's arguments reveals what getting or reading it
// would, so it needs the same permission.
const ITEM_ACTIONS: Readonly<Record<ListKind, Readonly<Record<string, string>>>> = {
  tool: { 'tools/call': 'call_tool' },
  resource: {
    'resources/read': 'read_resource',
    'resources/subscribe': 'subscribe_resource',
    'resources/unsubscribe': 'subscribe_resource',
    'completion/complete': 'read_resource',
  },
  prompt: { 'prompts/get': 'get_prompt', 'completion/complete': 'get_prompt' },
};
const LIST_METHODS: Readonly<Record<string, string>> = {
  'tools/list': 'list_tools',
  'resources/list': 'list_resources',
  'resources/templates/list': 'list_resources',
  'prompts/list': 'list_prompts',
};
const LIST_ITEM_ACTIONS: Readonly<Record<ListKind, string>> = { tool: 'list_tools', resource: 'list_resources', prompt: 'list_prompts' };

/**
 * Maps MCP requests onto Cedar requests (principal, action, resource, context) and Cedar answers
 * onto decisions, including the scopes a step-up would need.
 */
export class Authorizer {
  private readonly rules: ItemRules;
  private readonly cedar: CedarAuthorizer;

  constructor(policies: LoadedPolicies, private readonly config: EnforcementConfig['authorization']) {
    this.rules = new ItemRules(config.rules, config.defaultRequiredScopes);
    this.cedar = new CedarAuthorizer(policies, config.validateRequests);
  }

  /** Configured profile of an item (groups, required scopes, destructive override). */
  profile(kind: ListKind, upstream: string, name: string): ItemProfile {
    return this.rules.profile(kind, upstream, name);
  }

  /** Decide a request on a tool, resource, prompt or protocol method. */
  decide(ctx: RequestContext, target: Target, facts: RequestFacts): AuthzOutcome {
    if (target.kind === 'method') {
      const listAction = LIST_METHODS[target.name];
      const resource = listAction ? upstreamEntity(target.upstream) : methodEntity(target.name);
      const request = this.request(ctx, listAction ?? 'invoke_method', resource, target.upstream, facts);
      return outcome(this.cedar.isAuthorized(request), `${listAction ?? 'invoke_method'} on ${target.name}@${target.upstream}`);
    }
    const action = ITEM_ACTIONS[target.kind][ctx.method];
    if (!action) {
      return { allow: false, reasons: [`method "${ctx.method}" does not apply to a ${target.kind}`], policyIds: ['gateway:unsupported-method'] };
    }
    const profile = this.rules.profile(target.kind, target.upstream, target.name);
    const resource = itemEntity(target.kind, target.upstream, target.name, profile, facts.tool);
    const request = this.request(ctx, action, resource, target.upstream, facts);
    const answer = this.cedar.isAuthorized(request);
    const result = outcome(answer, `${action} on ${target.upstream}/${target.name}`);
    if (result.allow || answer.errors.length > 0) return result;
    return this.withStepUp(result, request, ctx.scopes, profile.requiredScopes);
  }

  /** May the caller see this item in a list result? */
  canList(ctx: RequestContext, kind: ListKind, upstream: string, name: string, facts: RequestFacts): boolean {
    const profile = this.rules.profile(kind, upstream, name);
    const resource = itemEntity(kind, upstream, name, profile, facts.tool);
    return this.cedar.isAuthorized(this.request(ctx, LIST_ITEM_ACTIONS[kind], resource, upstream, facts)).allow;
  }

  private request(ctx: RequestContext, action: string, resource: Entity, upstream: string, facts: RequestFacts): CedarRequest {
    const principal = principalEntity(ctx);
    const context = requestContext(ctx, upstream, ctx.method, facts.riskScore, facts.nowMs);
    return { principal: principal.uid, action, resource: resource.uid, context, entities: [principal, resource] };
  }

  /**
   * Would more scope turn this deny into an allow? Tries the item's missing scopes, then each
   * configured step-up scope on top, then all of them; the first combination Cedar permits is
   * the challenge. A deny no scope can lift (quarantine, risk, time) is not a step-up.
   */
  private withStepUp(denied: AuthzOutcome, request: CedarRequest, have: readonly string[], itemScopes: readonly string[]): AuthzOutcome {
    const held = new Set(have);
    const missing = itemScopes.filter((s) => !held.has(s));
    const extra = this.config.stepUpScopes.filter((s) => !held.has(s) && !missing.includes(s));
    const candidates: string[][] = [];
    if (missing.length > 0) candidates.push(missing);
    extra.forEach((s) => candidates.push([...missing, s]));
    if (extra.length > 1) candidates.push([...missing, ...extra]);
    for (const added of candidates) {
      const context = { ...request.context, scopes: [...have, ...added] };
      if (this.cedar.isAuthorized({ ...request, context }).allow) {
        return {
          ...denied,
          reasons: [...denied.reasons, `insufficient scope: needs ${added.join(' ')}`],
          requiredScopes: [...new Set([...have, ...added])].sort(),
          missingScopes: [...added].sort(),
          stepUp: true,
        };
      }
    }
    return denied;
  }
}

/** Answers are shared by the decision memo: every outcome gets its own arrays. */
function outcome(answer: CedarAnswer, what: string): AuthzOutcome {
  if (answer.errors.length > 0) {
    return { allow: false, reasons: answer.errors.map((e) => `policy evaluation error: ${e}`), policyIds: ['gateway:policy-error', ...answer.policyIds] };
  }
  if (answer.allow) return { allow: true, reasons: [`permitted: ${what}`], policyIds: [...answer.policyIds] };
  if (answer.policyIds.length > 0) return { allow: false, reasons: [`forbidden: ${what}`], policyIds: [...answer.policyIds] };
  return { allow: false, reasons: [`default deny: no policy permits ${what}`], policyIds: ['gateway:default-deny'] };
}
