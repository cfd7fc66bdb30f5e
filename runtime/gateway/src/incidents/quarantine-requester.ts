import type { EventPublisher } from './event-publisher';
import type { Finding } from '../enforcement/types';

/** Source of the event that asks the kit's incident response to quarantine tasks (`TaskQuarantine`). */
export const QUARANTINE_EVENT_SOURCE = 'mcp-kit.incident';
/** Detail type of that event. */
export const QUARANTINE_EVENT_DETAIL_TYPE = 'Quarantine Task';

/**
 * What may make the gateway request a quarantine of an upstream:
 * - `tool-drift`: an approved tool's definition changed (enforced pinning);
 * - `tool-renamed`: an approved tool reappeared under another name;
 * - `injection-in-result`: a guardrail blocked a result for an injection it carried. Off by
 *   default: an upstream can relay poisoned content it fetched without being compromised.
 */
export const QUARANTINE_TRIGGERS = ['tool-drift', 'tool-renamed', 'injection-in-result'] as const;
/** One of {@link QUARANTINE_TRIGGERS}. */
export type QuarantineTrigger = typeof QUARANTINE_TRIGGERS[number];

/** What happened to one trigger, for logs and metrics. */
export interface QuarantineOutcome {
  readonly upstream: string;
  readonly trigger: QuarantineTrigger;
  /** `sent`: on the bus; `suppressed`: one was sent within the interval; `no-service`: the upstream names no ECS service. */
  readonly outcome: 'sent' | 'failed' | 'suppressed' | 'no-service';
  readonly error?: unknown;
}

/** Options of {@link QuarantineRequester}. */
export interface QuarantineRequesterOptions {
  /** Gateway name, in the request's reason. */
  readonly gateway: string;
  readonly triggers: readonly QuarantineTrigger[];
  /** At most one request per upstream within this many milliseconds (per replica). */
  readonly minIntervalMs: number;
  /** ECS service ARN by upstream name; an upstream without one is never named in a request. */
  readonly services: ReadonlyMap<string, string>;
  readonly publisher: EventPublisher;
  readonly clock?: () => number;
  readonly onOutcome?: (outcome: QuarantineOutcome) => void;
}

const MAX_REASON = 1024;

/**
 * Turns what the gateway sees of a compromised upstream into one `Quarantine Task` request for
 * the ECS service that runs it (the gateway knows services, not tasks; the incident-response
 * function resolves the service's running tasks). The gateway has already contained the
 * upstream on its side (a drifted tool is quarantined, a blocked result withheld); the request
 * asks for network isolation of the upstream's tasks too. Requests are rate-limited per upstream
 * and sent off the request path: a slow or failing bus never delays or fails a client request.
 */
export class QuarantineRequester {
  private readonly triggers: ReadonlySet<QuarantineTrigger>;
  private readonly lastAttempt = new Map<string, number>();
  private readonly clock: () => number;

  constructor(private readonly options: QuarantineRequesterOptions) {
    this.triggers = new Set(options.triggers);
    this.clock = options.clock ?? Date.now;
  }

  /** Findings of a tool list just pinned for `upstream`: enforced drift or renames of approved tools. */
  toolsPinned(upstream: string, findings: readonly Finding[]): void {
    const finding = findings.find((f) => f.action === 'block' && (f.detector === 'tool-drift' || f.detector === 'tool-renamed')
      && this.triggers.has(f.detector));
    if (finding) this.request(upstream, finding.detector as QuarantineTrigger, `${finding.location}: ${finding.message}`);
  }

  /** Findings of a result from `upstream` that a guardrail blocked. */
  resultBlocked(upstream: string, findings: readonly Finding[]): void {
    if (!this.triggers.has('injection-in-result')) return;
    const finding = findings.find((f) => f.category === 'injection' && f.action === 'block');
    if (finding) this.request(upstream, 'injection-in-result', `${finding.detector} at ${finding.location}: ${finding.message}`);
  }

  private request(upstream: string, trigger: QuarantineTrigger, what: string): void {
    const report = (outcome: QuarantineOutcome['outcome'], error?: unknown) => this.options.onOutcome?.({ upstream, trigger, outcome, error });
    const serviceArn = this.options.services.get(upstream);
    if (serviceArn === undefined) return report('no-service');
    const now = this.clock();
    const last = this.lastAttempt.get(upstream);
    if (last !== undefined && now - last < this.options.minIntervalMs) return report('suppressed');
    // Counted when attempted, not when delivered: concurrent triggers send one request, and a
    // failing bus is not hammered (the gateway's own containment does not depend on it).
    this.lastAttempt.set(upstream, now);
    const { gateway } = this.options;
    this.options.publisher.publish({
      source: QUARANTINE_EVENT_SOURCE,
      detailType: QUARANTINE_EVENT_DETAIL_TYPE,
      detail: { serviceArn, reason: `gateway ${gateway}: upstream ${upstream}: ${trigger}: ${what}`.slice(0, MAX_REASON), gateway, upstream, trigger },
    }).then(() => report('sent'), (error: unknown) => report('failed', error));
  }
}
