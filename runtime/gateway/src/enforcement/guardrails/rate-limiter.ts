import type { EnforcementConfig } from '../config';
import { compileGlob } from '../glob';

/** A token bucket: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface BucketSpec {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

/** The outcome of taking one token. */
export interface TakeResult {
  readonly allowed: boolean;
  /** Seconds until a token is available again (0 when allowed). */
  readonly retryAfterSeconds: number;
}

/**
 * Where buckets live. The in-memory store limits per replica: behind N replicas a client can
 * reach up to N times the configured rate (a balancer with session affinity keeps it close to
 * 1×). For a fleet-wide limit, implement this interface over a shared store (for example an
 * ElastiCache/Valkey script that performs the same refill-and-take atomically per key).
 */
export interface RateLimitStore {
  take(key: string, bucket: BucketSpec, nowMs: number): TakeResult | Promise<TakeResult>;
}

interface BucketState {
  tokens: number;
  updatedMs: number;
}

/**
 * Per-replica token buckets, bounded in number. When full, buckets that have refilled
 * completely (equivalent to absent) are dropped first, then the least recently used.
 */
export class InMemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, BucketState>();

  constructor(private readonly maxKeys: number) {}

  take(key: string, bucket: BucketSpec, nowMs: number): TakeResult {
    const state = this.buckets.get(key) ?? { tokens: bucket.capacity, updatedMs: nowMs };
    const elapsed = Math.max(0, nowMs - state.updatedMs) / 1000;
    state.tokens = Math.min(bucket.capacity, state.tokens + elapsed * bucket.refillPerSecond);
    state.updatedMs = nowMs;
    // Re-insert so Map order is least-recently-used first.
    this.buckets.delete(key);
    this.buckets.set(key, state);
    if (this.buckets.size > this.maxKeys) this.evict(bucket, nowMs);
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - state.tokens) / bucket.refillPerSecond) };
  }

  /** Number of tracked buckets (for metrics and tests). */
  get size(): number {
    return this.buckets.size;
  }

  private evict(bucket: BucketSpec, nowMs: number): void {
    const fullAfterMs = (bucket.capacity / bucket.refillPerSecond) * 1000;
    for (const [key, state] of this.buckets) {
      if (this.buckets.size <= this.maxKeys) return;
      if (nowMs - state.updatedMs >= fullAfterMs) this.buckets.delete(key);
    }
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}

/** Which limit refused a request. */
export type RateLimitVerdict = TakeResult & { readonly limit?: 'subject' | 'tool' };

/** Applies the per-subject limit to every request and the per-subject-and-tool limit to tool calls. */
export class RateLimiter {
  private readonly overrides: ReadonlyArray<{ pattern: RegExp; bucket: BucketSpec }>;

  constructor(private readonly config: EnforcementConfig['guardrails']['rateLimits'], private readonly store: RateLimitStore) {
    this.overrides = config.tools.map(({ match, ...bucket }) => ({ pattern: compileGlob(match), bucket }));
  }

  /** Take a token for `subject` (and for the tool, when given). */
  async check(subject: string, tool: { upstream: string; name: string } | undefined, nowMs: number): Promise<RateLimitVerdict> {
    const perSubject = await this.store.take(`subject\u0000${subject}`, this.config.perSubject, nowMs);
    if (!perSubject.allowed) return { ...perSubject, limit: 'subject' };
    if (!tool) return perSubject;
    const key = `${tool.upstream}/${tool.name}`;
    const bucket = this.overrides.find((o) => o.pattern.test(key))?.bucket ?? this.config.perTool;
    const perTool = await this.store.take(`tool\u0000${subject}\u0000${key}`, bucket, nowMs);
    return perTool.allowed ? perTool : { ...perTool, limit: 'tool' };
  }
}
