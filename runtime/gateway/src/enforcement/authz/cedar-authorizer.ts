import { createHash } from 'crypto';
import { cedar } from './cedar-engine';
import { contextUsage } from './context-usage';
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
  /** The context attributes a decision can depend on (see `contextUsage`), as an array to loop over. */
  private readonly keyAttributes: readonly string[] | 'all';
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
    const usage = contextUsage(Object.values(loaded.policies));
    this.keyAttributes = usage === 'all' ? usage : [...usage];
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

  /**
   * JSON texts of everything the engine sees, joined by newlines (JSON.stringify never writes a
   * raw newline, so the join is unambiguous; `-` marks an absent attribute). Built without an
   * intermediate object or sort: it runs for every decision. Key orders are kept as given, which
   * can only split the memo, never merge two requests.
   */
  private cacheKey(request: CedarRequest): string {
    const context = request.context;
    let key = JSON.stringify([request.principal, request.action, request.resource, request.entities]);
    if (this.keyAttributes === 'all') key += `\n${JSON.stringify(context)}`;
    else for (const attr of this.keyAttributes) key += attr in context ? `\n${JSON.stringify(context[attr])}` : '\n-';
    // When requests are validated, the whole context must type-check: keep its shape in the key.
    if (this.validateRequests) key += `\n${JSON.stringify(Object.keys(context))}`;
    return key;
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
