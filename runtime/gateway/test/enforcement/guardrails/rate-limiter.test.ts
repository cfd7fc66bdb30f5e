import { parseEnforcementConfig } from '../../../src/enforcement/config';
import { InMemoryRateLimitStore, RateLimiter } from '../../../src/enforcement/guardrails/rate-limiter';

const T0 = 1_800_000_000_000;

function limiter(rateLimits: object = {}, maxKeys = 1000) {
  const config = parseEnforcementConfig({ guardrails: { rateLimits: { maxTrackedKeys: maxKeys, ...rateLimits } } }).guardrails.rateLimits;
  const store = new InMemoryRateLimitStore(config.maxTrackedKeys);
  return { limiter: new RateLimiter(config, store), store };
}

describe('token buckets', () => {
  test('a full bucket allows a burst of capacity, then refills at the configured rate', () => {
    const store = new InMemoryRateLimitStore(10);
    const bucket = { capacity: 3, refillPerSecond: 0.5 };
    const takes = [0, 0, 0, 0].map(() => store.take('k', bucket, T0).allowed);
    expect(takes).toEqual([true, true, true, false]);
    expect(store.take('k', bucket, T0).retryAfterSeconds).toBe(2);
    expect(store.take('k', bucket, T0 + 1999).allowed).toBe(false);
    expect(store.take('k', bucket, T0 + 2000).allowed).toBe(true);
    expect(store.take('k', bucket, T0 + 2000).allowed).toBe(false);
  });

  test('never holds more than capacity after a long idle time', () => {
    const store = new InMemoryRateLimitStore(10);
    const bucket = { capacity: 2, refillPerSecond: 1 };
    store.take('k', bucket, T0);
    const later = T0 + 3_600_000;
    expect([0, 0, 0].map(() => store.take('k', bucket, later).allowed)).toEqual([true, true, false]);
  });

  test('a clock going backwards does not mint tokens', () => {
    const store = new InMemoryRateLimitStore(10);
    const bucket = { capacity: 1, refillPerSecond: 1 };
    store.take('k', bucket, T0);
    expect(store.take('k', bucket, T0 - 10_000).allowed).toBe(false);
  });

  test('stays bounded: idle (refilled) buckets go first, then the least recently used', () => {
    const store = new InMemoryRateLimitStore(3);
    const bucket = { capacity: 1, refillPerSecond: 1 };
    store.take('idle', bucket, T0);
    store.take('a', bucket, T0 + 5000);
    store.take('b', bucket, T0 + 5000);
    store.take('c', bucket, T0 + 5000);
    expect(store.size).toBe(3);
    // "a" is still empty (recently drained): it was kept, "idle" was dropped.
    expect(store.take('a', bucket, T0 + 5000).allowed).toBe(false);
    for (let i = 0; i < 100; i++) store.take(`k${i}`, bucket, T0 + 5000);
    expect(store.size).toBe(3);
  });
});

describe('RateLimiter', () => {
  // proves: defense-in-depth/application
  test('limits each subject independently of others', async () => {
    const { limiter: rl } = limiter({ perSubject: { capacity: 2, refillPerSecond: 1 } });
    expect((await rl.check('alice', undefined, T0)).allowed).toBe(true);
    expect((await rl.check('alice', undefined, T0)).allowed).toBe(true);
    expect(await rl.check('alice', undefined, T0)).toEqual({ allowed: false, retryAfterSeconds: 1, limit: 'subject' });
    expect((await rl.check('bob', undefined, T0)).allowed).toBe(true);
  });

  test('limits each tool per subject, with glob overrides (first match wins)', async () => {
    const { limiter: rl } = limiter({
      perTool: { capacity: 2, refillPerSecond: 1 },
      tools: [{ match: 'github/merge_*', capacity: 1, refillPerSecond: 0.1 }, { match: 'github/*', capacity: 5, refillPerSecond: 1 }],
    });
    const merge = { upstream: 'github', name: 'merge_pr' };
    expect((await rl.check('alice', merge, T0)).allowed).toBe(true);
    expect(await rl.check('alice', merge, T0)).toEqual({ allowed: false, retryAfterSeconds: 10, limit: 'tool' });
    const search = { upstream: 'docs', name: 'search' };
    expect([await rl.check('alice', search, T0), await rl.check('alice', search, T0), await rl.check('alice', search, T0)].map((r) => r.allowed)).toEqual([true, true, false]);
    expect((await rl.check('bob', merge, T0)).allowed).toBe(true);
  });

  test('works over an asynchronous shared store', async () => {
    const calls: string[] = [];
    const shared = { take: async (key: string) => { calls.push(key); return { allowed: true, retryAfterSeconds: 0 }; } };
    const config = parseEnforcementConfig({}).guardrails.rateLimits;
    await new RateLimiter(config, shared).check('alice', { upstream: 'docs', name: 'search' }, T0);
    expect(calls).toEqual(['subject\u0000alice', 'tool\u0000alice\u0000docs/search']);
  });
});
