import type { EnforcementConfig } from '../config';
import type { Severity } from '../types';

/** What raises a session's risk. */
export type RiskEvent = { readonly kind: 'request' | 'denial' | 'rate-limited' } | { readonly kind: 'finding'; readonly severity: Severity };

/** A session's risk and what it calls for. */
export interface RiskAssessment {
  readonly score: number;
  /** At or above the step-up threshold and the token lacks the step-up scope. */
  readonly stepUp: boolean;
  /** At or above the end-session threshold, now or earlier. */
  readonly endSession: boolean;
}

interface SessionState {
  score: number;
  updatedMs: number;
}

const ENDED_RETENTION_MS = 24 * 3600 * 1000;

/**
 * Per-session risk: points for denials, guardrail findings, rate-limit hits and every request,
 * decaying exponentially with a configured half-life. With request weight w, a sustained rate of
 * r requests per second settles at w·r·halfLife/ln 2 — 0.01 · 10/s · 300 s / 0.69 ≈ 43 with the
 * defaults, so only bursts far above normal agent traffic reach the thresholds on rate alone.
 * Kept per replica (sessions are subject-bound keys `<subject>:<session>`); a shared store is
 * possible behind the same methods. Ended sessions stay ended for 24 hours.
 */
export class SessionRisk {
  private readonly sessions = new Map<string, SessionState>();
  private readonly ended = new Map<string, number>();

  constructor(private readonly config: EnforcementConfig['risk']) {}

  /** The decayed score of a session now. */
  score(key: string, nowMs: number): number {
    const state = this.sessions.get(key);
    return state ? this.decayed(state, nowMs) : 0;
  }

  /** Add the points of `event` and return the new score. */
  observe(key: string, event: RiskEvent, nowMs: number): number {
    const state = this.sessions.get(key) ?? { score: 0, updatedMs: nowMs };
    state.score = this.decayed(state, nowMs) + this.points(event);
    state.updatedMs = nowMs;
    this.sessions.delete(key);
    this.sessions.set(key, state);
    if (this.sessions.size > this.config.maxTrackedSessions) this.sessions.delete(this.sessions.keys().next().value as string);
    if (state.score >= this.config.endSessionThreshold) this.end(key, nowMs);
    return state.score;
  }

  /** What the session's current score calls for, given the scopes the token holds. */
  assess(key: string, scopes: readonly string[], nowMs: number): RiskAssessment {
    const score = this.score(key, nowMs);
    const endedAt = this.ended.get(key);
    const endSession = score >= this.config.endSessionThreshold || (endedAt !== undefined && nowMs - endedAt < ENDED_RETENTION_MS);
    const stepUp = !endSession && score >= this.config.stepUpThreshold && !scopes.includes(this.config.stepUpScope);
    return { score, stepUp, endSession };
  }

  private end(key: string, nowMs: number): void {
    this.ended.set(key, nowMs);
    for (const [k, at] of this.ended) {
      if (nowMs - at < ENDED_RETENTION_MS && this.ended.size <= this.config.maxTrackedSessions) break;
      this.ended.delete(k);
    }
  }

  private decayed(state: SessionState, nowMs: number): number {
    const elapsedSeconds = Math.max(0, nowMs - state.updatedMs) / 1000;
    return state.score * Math.pow(0.5, elapsedSeconds / this.config.halfLifeSeconds);
  }

  private points(event: RiskEvent): number {
    const w = this.config.weights;
    switch (event.kind) {
      case 'request': return w.request;
      case 'denial': return w.denial;
      case 'rate-limited': return w.rateLimited;
      case 'finding': return event.severity === 'high' ? w.findingHigh : event.severity === 'medium' ? w.findingMedium : w.findingLow;
    }
  }
}
