import { createHash } from 'crypto';
import { cedar } from './cedar-engine';
import { ContextUsage, contextUsage } from './context-usage';
import type { LoadedPolicies } from './policy-loader';

/** Decisions remembered per authorizer. */
const DECISION_CACHE_ENTRIES = 10_000;

/** Cedar namespace of the gateway's schema. */
export const NAMESPACE = 'McpGateway';

/** An entity reference: `{ type: 'McpGateway::Tool', id: 'github/create_issue' }`. */
export type EntityRef = cedar.TypeAndId;

/** One Cedar authorization request. */
export interface CedarRequest {
  readonly principal: EntityRef;
  readonly action: string;
  readonly resource: EntityRef;
  readonly context: cedar.Context;
  readonly entities: cedar.EntityJson[];
}

/** A Cedar answer reduced to what the gateway needs. */
export interface CedarAnswer {
  readonly allow: boolean;
  /** Policies that determined the decision (the satisfied permits on allow, forbids on deny). */
  readonly policyIds: string[];
  /** Evaluation or request-validation errors; any error makes the answer a deny. */
  readonly errors: string[];
}

/**
 * Evaluates requests against a validated policy set. The schema and policies are parsed once
 * into the Cedar engine's cache (`preparse*`), so a request costs one evaluation, not a parse.
 *
 * Answers are memoised. Cedar is deterministic: the same principal, action, resource, entities
 * and context under the same policies always give the same answer, so the key is everything the
 * engine sees, except context attributes no policy reads (see `contextUsage`). Handing the
 * request to the WebAssembly engine costs far more than evaluating it, and with the starter
 * policy (which reads only `scopes` and `riskScore`) repeated calls and lists hit the memo.
 */
export class CedarAuthorizer {
  private readonly policySetId: string;
  private readonly schemaName: string;
  private readonly contextUsage: ContextUsage;
  private readonly answers = new Map<string, CedarAnswer>();

  constructor(loaded: LoadedPolicies, private readonly validateRequests: boolean) {
    // The engine's cache is process-global: key it by content so two gateways in one process
    // (tests) never evaluate each other's policies.
    const digest = createHash('sha256').update(loaded.schemaText).update(JSON.stringify(loaded.policies)).digest('hex').slice(0, 32);
    this.policySetId = `policies-${digest}`;
    this.schemaName = `schema-${digest}`;
    const schema = cedar.preparseSchema(this.schemaName, loaded.schemaText);
    const policies = cedar.preparsePolicySet(this.policySetId, { staticPolicies: { ...loaded.policies } });
    const failures = [schema, policies].flatMap((a) => (a.type === 'failure' ? a.errors.map((e) => e.message) : []));
    if (failures.length > 0) throw new Error(`Cedar engine rejected validated policies: ${failures.join('; ')}`);
    this.contextUsage = contextUsage(Object.values(loaded.policies));
  }

  /** Evaluate one request. Never throws: an engine failure is a deny carrying the error. */
  isAuthorized(request: CedarRequest): CedarAnswer {
    const key = this.cacheKey(request);
    const cached = this.answers.get(key);
    if (cached) return cached;
    const answer = this.evaluate(request);
    if (answer.cacheable) {
      if (this.answers.size >= DECISION_CACHE_ENTRIES) this.answers.delete(this.answers.keys().next().value as string);
      this.answers.set(key, answer.result);
    }
    return answer.result;
  }

  private cacheKey(request: CedarRequest): string {
    let context: cedar.Context = request.context;
    if (this.contextUsage !== 'all') {
      context = {};
      for (const attr of this.contextUsage) {
        if (attr in request.context) context[attr] = request.context[attr];
      }
    }
    // When requests are validated, the whole context must type-check: keep its shape in the key.
    const shape = this.validateRequests ? Object.keys(request.context).sort().join(',') : '';
    return JSON.stringify([request.principal, request.action, request.resource, request.entities, context, shape]);
  }

  private evaluate(request: CedarRequest): { result: CedarAnswer; cacheable: boolean } {
    let answer: cedar.AuthorizationAnswer;
    try {
      answer = cedar.statefulIsAuthorized({
        principal: request.principal,
        action: { type: `${NAMESPACE}::Action`, id: request.action },
        resource: request.resource,
        context: request.context,
        entities: request.entities,
        preparsedPolicySetId: this.policySetId,
        preparsedSchemaName: this.validateRequests ? this.schemaName : undefined,
        validateRequest: this.validateRequests,
      });
    } catch (error) {
      return { result: { allow: false, policyIds: [], errors: [`Cedar engine error: ${(error as Error).message}`] }, cacheable: false };
    }
    if (answer.type === 'failure') {
      return { result: { allow: false, policyIds: [], errors: answer.errors.map((e) => e.message) }, cacheable: true };
    }
    const { decision, diagnostics } = answer.response;
    // Cedar skips a policy whose evaluation errors; for a forbid that would fail open, so any
    // error denies the request.
    const errors = diagnostics.errors.map((e) => `policy "${e.policyId}": ${e.error.message}`);
    return { result: { allow: decision === 'allow' && errors.length === 0, policyIds: [...diagnostics.reason], errors }, cacheable: true };
  }
}
