import * as fc from 'fast-check';
import { Harness, startHarness } from './support/harness';
import { answerMessages, INITIALIZE, mcpHeaders, raw } from './support/raw';
import { extractBearer } from '../src/auth/challenge';
import { parseJsonRpc } from '../src/transport/jsonrpc';
import { SessionCodec } from '../src/transport/session-token';

const ALLOWED_STATUSES = new Set([200, 202, 400, 401, 403, 404, 405, 406, 413, 415, 429]);

describe('property: the request path never crashes, hangs or leaks a rejection', () => {
  let h: Harness;
  let token: string;
  let sessionId: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => { unhandled.push(reason); };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    h = await startHarness({ upstreams: ['alpha'] });
    token = await h.token();
    const init = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE });
    sessionId = init.headers['mcp-session-id'] as string;
  });
  afterAll(async () => {
    await h.close();
    process.off('unhandledRejection', onUnhandled);
  });

  const method = fc.constantFrom('initialize', 'ping', 'tools/list', 'tools/call', 'resources/read', 'prompts/get', 'resources/templates/list',
    'completion/complete', 'logging/setLevel', 'notifications/initialized', 'notifications/cancelled', 'unknown/method', '', '__proto__');
  const id = fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.double(), fc.constant('alpha/1'));
  const params = fc.oneof(fc.constant(undefined), fc.dictionary(fc.constantFrom('name', 'uri', 'arguments', 'ref', 'cursor', 'level', 'requestId', '_meta'),
    fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('alpha__echo', 'alpha__wait', 'sample://readme', 'alpha__greet'), fc.jsonValue({ maxDepth: 2 }))), fc.jsonValue({ maxDepth: 2 }));
  const message = fc.record({ jsonrpc: fc.constantFrom('2.0', '2.0', '2.0', '1.0', undefined), id, method, params }, { requiredKeys: ['jsonrpc'] });
  const wellFormed = fc.record({
    jsonrpc: fc.constant('2.0'),
    id: fc.nat(),
    method: fc.constantFrom('ping', 'tools/list', 'tools/call', 'resources/read', 'prompts/get', 'prompts/list', 'resources/list'),
    params: fc.record({
      name: fc.constantFrom('alpha__echo', 'alpha__add', 'alpha__greet', 'alpha__nope', 'echo', 'beta__echo'),
      uri: fc.constantFrom('sample://readme', 'sample://items/1', 'file:///etc/passwd'),
      arguments: fc.oneof(
        fc.record({ message: fc.string({ maxLength: 50 }) }),
        fc.record({ a: fc.integer(), b: fc.integer() }),
        fc.record({ name: fc.string() }),
        fc.jsonValue({ maxDepth: 2 }),
      ),
    }, { requiredKeys: [] }),
  });
  const body = fc.oneof(
    { arbitrary: wellFormed.map((m) => JSON.stringify(m)), weight: 6 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: message.map((m) => JSON.stringify(m)), weight: 5 },
    { arbitrary: fc.array(message, { maxLength: 12 }).map((m) => JSON.stringify(m)), weight: 2 },
  );
  // Mostly well-formed envelopes, so that most cases reach the dispatcher and the upstreams.
  const headers = fc.record({
    session: fc.oneof({ arbitrary: fc.constant('session'), weight: 6 }, { arbitrary: fc.constant(undefined), weight: 1 },
      { arbitrary: fc.string({ maxLength: 60 }).filter((s) => /^[\x21-\x7e]*$/.test(s)), weight: 1 }),
    accept: fc.constantFrom('application/json, text/event-stream', 'application/json, text/event-stream', 'application/json, text/event-stream', 'text/event-stream', undefined),
    contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', undefined),
    version: fc.constantFrom(undefined, '2025-11-25', '2025-06-18', '2025-11-25', 'garbage'),
    verb: fc.constantFrom('POST', 'POST', 'POST', 'POST', 'POST', 'GET', 'DELETE', 'PUT'),
    auth: fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'none', 'garbage'),
  });

  test('random requests get a well-formed answer quickly, and the gateway keeps serving', async () => {
    await fc.assert(fc.asyncProperty(body, headers, async (payload, hd) => {
      const sent: Record<string, string> = {};
      if (hd.accept !== undefined) sent.accept = hd.accept;
      if (hd.contentType !== undefined) sent['content-type'] = hd.contentType;
      if (hd.version !== undefined) sent['mcp-protocol-version'] = hd.version;
      if (hd.session !== undefined) sent['mcp-session-id'] = hd.session === 'session' ? sessionId : hd.session;
      if (hd.auth === 'valid') sent.authorization = `Bearer ${token}`;
      if (hd.auth === 'garbage') sent.authorization = 'Bearer a.b.c';
      const started = Date.now();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 8000);
      try {
        const res = await fetch(`${h.base}/mcp`, { method: hd.verb, headers: sent, body: hd.verb === 'POST' ? payload : undefined, signal: controller.signal });
        // A standalone GET stream stays open by design: its headers are the answer.
        if (hd.verb === 'GET' && res.status === 200) await res.body?.cancel();
        else await res.text();
        expect(ALLOWED_STATUSES.has(res.status)).toBe(true);
      } finally {
        clearTimeout(timer);
      }
      expect(Date.now() - started).toBeLessThan(8000);
    }), { numRuns: 200 });
    expect(unhandled).toEqual([]);
    const health = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(health.status).toBe(200);
  });

  test('well-formed envelopes with random JSON-RPC content reach the upstreams and always get an answer', async () => {
    const answered: Record<number, number> = {};
    // The first property may have terminated the shared session with a DELETE.
    sessionId = (await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE })).headers['mcp-session-id'] as string;
    await fc.assert(fc.asyncProperty(fc.oneof(
      { arbitrary: wellFormed.map((m) => JSON.stringify(m)), weight: 4 },
      { arbitrary: message.map((m) => JSON.stringify(m)), weight: 1 },
      { arbitrary: fc.array(wellFormed, { minLength: 1, maxLength: 10 }).map((m) => JSON.stringify(m.map((x, i) => ({ ...x, id: i })))), weight: 1 },
    ), async (payload) => {
      const res = await fetch(`${h.base}/mcp`, { method: 'POST', headers: { ...mcpHeaders(token, { 'mcp-session-id': sessionId }) }, body: payload, signal: AbortSignal.timeout(8000) });
      const text = await res.text();
      answered[res.status] = (answered[res.status] ?? 0) + 1;
      expect([200, 202, 400]).toContain(res.status);
      if (res.status === 200) {
        const ids = answerMessages({ headers: res.headers, text }).filter((m) => 'result' in m || 'error' in m).map((m) => m.id);
        const sent = ([] as Array<{ id?: unknown; method?: string }>).concat(JSON.parse(payload))
          .filter((m) => m.id !== undefined && m.method !== undefined);
        expect(ids.sort()).toEqual(sent.map((m) => m.id).sort());
      }
    }), { numRuns: 200 });
    expect(unhandled).toEqual([]);
    // Most cases must get past validation: the property is about the dispatcher, not the parser.
    expect(answered[200] ?? 0).toBeGreaterThan(100);
  });

  test('parsers are total: any input yields a value, never an exception', () => {
    const codec = new SessionCodec(Buffer.alloc(32, 9));
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.nat(20), (text, batch) => {
      const parsed = parseJsonRpc(text, batch);
      if (!parsed.ok) expect([-32700, -32600]).toContain(parsed.code);
      expect(codec.open(text)).toBeUndefined();
      expect(() => extractBearer({ authorization: text }, new URL('http://x/mcp'))).not.toThrow();
    }), { numRuns: 2000 });
  });
});
