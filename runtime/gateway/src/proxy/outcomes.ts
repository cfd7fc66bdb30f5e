import { RpcError } from './errors';
import { UpstreamExchange } from './upstream';
import { AuditEvent, Decision, Finding, RequestContext, Target } from '../enforcement/types';

/**
 * Raised while preparing a request when the answer must be an HTTP status rather than a
 * JSON-RPC error: a step-up challenge (403), a rate limit (429), or a session that is gone (404).
 * It is raised before the client's response starts, so the status can still be chosen.
 */
export class HttpRejection extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}, readonly rpcCode = -32000) {
    super(message);
    this.name = 'HttpRejection';
  }
}

/** What the audit record of one request says, completed when the request finishes. */
export interface AuditDraft {
  readonly ctx: RequestContext;
  readonly target?: Target;
  readonly decision?: Decision;
  readonly started: number;
  readonly arguments?: unknown;
  findings?: Finding[];
}

/** A request prepared before the client's response starts. */
export type Prepared =
  /** Answered by the gateway itself (ping, lists, initialize, logging level). */
  | { readonly kind: 'result'; readonly result: unknown; readonly audit: AuditDraft }
  /** Refused or failed with a JSON-RPC error. */
  | { readonly kind: 'error'; readonly error: RpcError; readonly audit: AuditDraft }
  /** Accepted by an upstream; the response and related messages are still to come. */
  | { readonly kind: 'forward'; readonly exchange: UpstreamExchange; readonly upstream: string; readonly inspect: boolean; readonly audit: AuditDraft };

/** Builds the audit event of a finished request. */
export function auditEvent(draft: AuditDraft, outcome: { decision: AuditEvent['decision']; rpcErrorCode?: number; reasons?: string[]; result?: unknown; findings?: Finding[] }): AuditEvent {
  return {
    subject: draft.ctx.subject,
    sessionId: draft.ctx.sessionId,
    clientId: draft.ctx.clientId,
    requestId: draft.ctx.requestId,
    method: draft.ctx.method,
    target: draft.target,
    decision: outcome.decision,
    reasons: outcome.reasons ?? draft.decision?.reasons,
    policyIds: draft.decision?.policyIds,
    toolHash: draft.decision?.toolHash,
    riskScore: draft.decision?.riskScore,
    findings: [...(draft.findings ?? []), ...(outcome.findings ?? [])],
    latencyMs: Date.now() - draft.started,
    rpcErrorCode: outcome.rpcErrorCode,
    arguments: draft.arguments,
    result: outcome.result,
  };
}
