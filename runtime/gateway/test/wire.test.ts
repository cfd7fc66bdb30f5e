import { Harness, startHarness } from './support/harness';
import { answerMessages, INITIALIZE, mcpHeaders, raw } from './support/raw';

/** The gateway's own framing of the Streamable HTTP transport, on both sides of the hop. */
describe('wire format through the gateway', () => {
  let h: Harness;
  let token: string;
  let sid: string;
  beforeAll(async () => {
    // alpha answers with SSE streams (the SDK's default), beta with JSON bodies.
    h = await startHarness({ jsonUpstreams: ['beta'] });
    token = await h.token();
    sid = (await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE })).headers['mcp-session-id'] as string;
  });
  afterAll(async () => { await h.close(); });
  const post = (body: unknown) => raw(`${h.base}/mcp`, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify(body) });

  test('a response that is the first thing to send goes out as one JSON body', async () => {
    const res = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'alpha__echo', arguments: { message: 'hi' } } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    // A length instead of chunked framing: head and body leave in one write.
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(JSON.parse(res.text)).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hi' }] } });
  });

  test('progress before the response turns the answer into an SSE stream that ends with the response', async () => {
    const res = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'alpha__count', arguments: { n: 2 }, _meta: { progressToken: 'p' } } });
    expect(res.headers['content-type']).toBe('text/event-stream');
    const messages = answerMessages(res);
    expect(messages.map((m) => m.method ?? `response ${String(m.id)}`)).toEqual([
      'notifications/progress', 'notifications/message', 'notifications/progress', 'notifications/message', 'response 2',
    ]);
    expect(messages[4]).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'counted to 2' }] } });
  });

  test('a batch whose responses come first is one JSON array, in the order they completed', async () => {
    const res = await post([
      { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'alpha__add', arguments: { a: 1, b: 2 } } },
      { jsonrpc: '2.0', id: 'b', method: 'ping' },
    ]);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.text) as Array<{ id: string; result: unknown }>;
    expect(Array.isArray(body)).toBe(true);
    expect(Object.fromEntries(body.map((m) => [m.id, m.result]))).toEqual({ a: { content: [{ type: 'text', text: '3' }] }, b: {} });
  });

  test('an upstream that answers with JSON bodies is proxied like one that streams', async () => {
    const { client } = await h.client();
    await expect(client.callTool({ name: 'beta__add', arguments: { a: 2, b: 40 } })).resolves.toMatchObject({ content: [{ type: 'text', text: '42' }] });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo']));
  });

  test('sequential calls reuse the upstream connection (keep-alive)', async () => {
    await post({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'alpha__echo', arguments: { message: 'warm' } } });
    const before = h.upstreams.alpha.connections();
    for (let i = 0; i < 20; i++) await post({ jsonrpc: '2.0', id: 10 + i, method: 'tools/call', params: { name: 'alpha__echo', arguments: { message: `m${i}` } } });
    expect(h.upstreams.alpha.connections() - before).toBe(0);
  });

  test('a request the client cancels stops its upstream exchange at once (audited as cancelled)', async () => {
    const { client } = await h.client();
    h.fake.events.length = 0;
    const controller = new AbortController();
    const call = client.callTool({ name: 'alpha__wait', arguments: { ms: 10_000 } }, undefined, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    for (let i = 0; i < 40 && !h.fake.events.some((e) => e.method === 'tools/call'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.fake.events.find((e) => e.method === 'tools/call')).toMatchObject({ decision: 'error', rpcErrorCode: -32800, reasons: ['Request cancelled'] });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
