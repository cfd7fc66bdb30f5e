import type { AuditLog } from './audit/audit-log';
import type { Authorizer, AuthzOutcome } from './authz/authorizer';
import type { EnforcementConfig } from './config';
import type { RateLimiter } from './guardrails/rate-limiter';
import type { ValueInspector } from './guardrails/value-inspector';
import type { ToolPinRegistry } from './pinning/tool-pin-registry';
import type { SessionRisk } from './risk/session-risk';
import type {
  AuditEvent,
  Decision,
  Enforcement,
  InspectionResult,
  ListKind,
  PinResult,
  RequestContext,
  Target,
  ToolDefinition,
} from './types';

/** The parts an EnforcementPoint composes (built by `createEnforcement`). */
export interface EnforcementParts {
  readonly authorizer: Authorizer;
  readonly pins: ToolPinRegistry;
  /** Scans tool definitions (via pinning) and resource and prompt descriptions in lists. */
  readonly descriptions: ValueInspector;
  readonly results: ValueInspector;
  readonly rateLimiter: RateLimiter;
  readonly risk: SessionRisk;
  readonly audit: AuditLog;
  readonly riskConfig: EnforcementConfig['risk'];
  readonly clock: () => number;
}

/**
 * The enforcement point: every decision passes, in order, session termination, rate limits,
 * tool quarantine (a gateway invariant no policy can lift), Cedar, and adaptive risk.
 */
export class EnforcementPoint implements Enforcement {
  constructor(private readonly parts: EnforcementParts) {}

  async authorize(ctx: RequestContext, target: Target): Promise<Decision> {
    const { authorizer, pins, rateLimiter, risk, clock } = this.parts;
    const now = clock();
    const session = sessionKey(ctx);
    const before = risk.assess(session, ctx.scopes, now);
    if (before.endSession) {
      return { allow: false, reasons: ['session ended by the risk policy'], policyIds: ['gateway:risk'], endSession: true, riskScore: before.score };
    }
    const limit = await rateLimiter.check(ctx.subject, target.kind === 'tool' ? target : undefined, now);
    if (!limit.allowed) {
      return this.denied(session, ctx, now, {
        allow: false,
        reasons: [`rate limit per ${limit.limit} exceeded`],
        policyIds: ['gateway:rate-limit'],
      }, { retryAfterSeconds: limit.retryAfterSeconds }, 'rate-limited');
    }
    const tool = target.kind === 'tool' ? pins.facts(target.upstream, target.name) : undefined;
    const toolHash = tool?.definitionHash || undefined;
    if (target.kind === 'tool' && (!tool || tool.quarantined)) {
      const why = tool ? 'its definition is not approved, or is ambiguous or poisoned' : 'the upstream has not listed it';
      return this.denied(session, ctx, now, { allow: false, reasons: [`tool quarantined: ${why}`], policyIds: ['gateway:quarantine'] }, { toolHash });
    }
    const outcome = authorizer.decide(ctx, target, { tool, riskScore: before.score, nowMs: now });
    if (!outcome.allow) return this.denied(session, ctx, now, outcome, { toolHash });
    if (before.stepUp) {
      const scope = this.parts.riskConfig.stepUpScope;
      return this.denied(session, ctx, now, {
        allow: false,
        reasons: [`session risk ${before.score.toFixed(1)} is at or above the step-up threshold`],
        policyIds: ['gateway:risk'],
        stepUp: true,
        requiredScopes: [...new Set([...ctx.scopes, scope])].sort(),
        missingScopes: [scope],
      }, { toolHash });
    }
    const riskScore = risk.observe(session, { kind: 'request' }, now);
    return { ...outcome, toolHash, riskScore };
  }

  async filterList<T extends { name?: string; uri?: string }>(ctx: RequestContext, upstream: string, kind: ListKind, items: T[]): Promise<T[]> {
    const { authorizer, pins, risk, clock } = this.parts;
    const now = clock();
    const riskScore = risk.score(sessionKey(ctx), now);
    const visible: T[] = [];
    for (const item of items) {
      const name = kind === 'resource' ? item.uri ?? item.name : item.name;
      if (typeof name !== 'string') continue;
      const tool = kind === 'tool' ? pins.facts(upstream, name) : undefined;
      if (kind === 'tool' && (!tool || tool.quarantined)) continue;
      if (!authorizer.canList(ctx, kind, upstream, name, { tool, riskScore, nowMs: now })) continue;
      const shown = kind === 'tool' ? item : this.screenDescription(item);
      if (shown) visible.push(shown);
    }
    return visible;
  }

  /**
   * Resource and prompt descriptions reach the model like tool descriptions but are not pinned:
   * an item whose description trips a blocking guardrail is left out, a redacted one is shown redacted.
   */
  private screenDescription<T extends object>(item: T): T | undefined {
    const { title, description } = item as { title?: unknown; description?: unknown };
    const fields = { title, description };
    const scan = this.parts.descriptions.inspect(fields);
    if (scan.blocked) return undefined;
    return scan.result === fields ? item : { ...item, ...(scan.result as object) };
  }

  pinTools<T extends ToolDefinition>(upstream: string, tools: T[]): PinResult<T> {
    return this.parts.pins.pin(upstream, tools);
  }

  async inspectResult(ctx: RequestContext, _target: Target, result: unknown): Promise<InspectionResult> {
    const inspected = this.parts.results.inspect(result);
    const now = this.parts.clock();
    // An injection aimed at the model raises the session's risk; a secret the upstream returned
    // is redacted but says little about the caller, so it counts as low. Once per detector.
    const seen = new Set<string>();
    for (const finding of inspected.findings) {
      if (seen.has(finding.detector)) continue;
      seen.add(finding.detector);
      const severity = finding.category === 'injection' ? finding.severity : 'low';
      this.parts.risk.observe(sessionKey(ctx), { kind: 'finding', severity }, now);
    }
    return inspected;
  }

  record(event: AuditEvent): Promise<void> {
    return this.parts.audit.record(event);
  }

  close(): Promise<void> {
    return this.parts.audit.close();
  }

  private denied(
    session: string,
    ctx: RequestContext,
    now: number,
    outcome: AuthzOutcome,
    extra: Pick<Decision, 'retryAfterSeconds' | 'toolHash'>,
    event: 'denial' | 'rate-limited' = 'denial',
  ): Decision {
    const { risk } = this.parts;
    risk.observe(session, { kind: 'request' }, now);
    risk.observe(session, { kind: event }, now);
    const after = risk.assess(session, ctx.scopes, now);
    const ended = after.endSession ? { endSession: true, reasons: [...outcome.reasons, 'session ended by the risk policy'] } : {};
    return { ...outcome, ...extra, riskScore: after.score, ...ended };
  }
}

/** Sessions are bound to subjects: the same session id under another subject is another session. */
function sessionKey(ctx: RequestContext): string {
  return `${ctx.subject}:${ctx.sessionId}`;
}
