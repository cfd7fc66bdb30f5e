import { AuditEvent, Decision, Enforcement, InspectionResult, PinResult, RequestContext, Target, ToolDefinition } from '../../src/enforcement/types';

/** A scriptable enforcement point for transport tests: allows by default and keeps every audit event. */
export class FakeEnforcement implements Enforcement {
  readonly events: AuditEvent[] = [];
  readonly authorized: Array<{ ctx: RequestContext; target: Target }> = [];
  /** Names hidden from lists (and denied), per upstream: `upstream/name`. */
  readonly hidden = new Set<string>();
  failRecords = false;
  /** Return a decision to override the default allow. */
  decide: (ctx: RequestContext, target: Target) => Decision | undefined = () => undefined;
  /** Return an inspection to override the default pass-through. */
  inspect: (target: Target, result: unknown) => InspectionResult | undefined = () => undefined;

  async authorize(ctx: RequestContext, target: Target): Promise<Decision> {
    this.authorized.push({ ctx, target });
    if (this.hidden.has(`${target.upstream}/${target.name}`)) return { allow: false, reasons: ['hidden'], policyIds: ['test:hidden'] };
    return this.decide(ctx, target) ?? { allow: true, reasons: ['test allow'], policyIds: ['test:allow'] };
  }

  async filterList<T extends { name?: string; uri?: string }>(_ctx: RequestContext, upstream: string, _kind: string, items: T[]): Promise<T[]> {
    return items.filter((i) => !this.hidden.has(`${upstream}/${i.name ?? i.uri}`));
  }

  pinTools<T extends ToolDefinition>(_upstream: string, tools: T[]): PinResult<T> {
    return { tools, pins: [], findings: [], approvalSnippet: {} };
  }

  async inspectResult(_ctx: RequestContext, target: Target, result: unknown): Promise<InspectionResult> {
    return this.inspect(target, result) ?? { result, findings: [], blocked: false };
  }

  async record(event: AuditEvent): Promise<void> {
    if (this.failRecords) throw new Error('audit sink down');
    this.events.push(event);
  }

  async close(): Promise<void> {
    return undefined;
  }
}
