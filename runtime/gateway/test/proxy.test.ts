import { CreateMessageRequestSchema, ElicitRequestSchema, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Harness, startHarness } from './support/harness';

describe('gateway proxy (SDK client → gateway → SDK upstreams over loopback HTTP)', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness(); });
  afterAll(async () => { await h.close(); });

  test('tools/list aggregates every upstream with prefixed names', async () => {
    const { client } = await h.client();
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(expect.arrayContaining(['alpha__echo', 'beta__echo', 'alpha__count', 'beta__ask_model']));
    expect(names.filter((n) => !/^(alpha|beta)__/.test(n))).toEqual([]);
  });

  test('tools/call reaches the upstream named by the prefix', async () => {
    const { client } = await h.client();
    const result = await client.callTool({ name: 'beta__add', arguments: { a: 2, b: 40 } });
    expect(result.content).toEqual([{ type: 'text', text: '42' }]);
  });

  test('progress notifications and log messages stream back during a call', async () => {
    const { client } = await h.client();
    const progress: number[] = [];
    const logs: unknown[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => { logs.push(n.params.data); });
    const result = await client.callTool({ name: 'alpha__count', arguments: { n: 3 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    expect(result.content).toEqual([{ type: 'text', text: 'counted to 3' }]);
    expect(progress).toEqual([1, 2, 3]);
    expect(logs).toEqual(['step 1', 'step 2', 'step 3']);
  });

  test('sampling requests from an upstream reach the client and its answer returns', async () => {
    const { client } = await h.client({ capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async (req) => ({
      role: 'assistant', model: 'test-model', content: { type: 'text', text: `echo(${(req.params.messages[0].content as { text: string }).text})` },
    }));
    const result = await client.callTool({ name: 'alpha__ask_model', arguments: { question: 'why?' } });
    expect(result.content).toEqual([{ type: 'text', text: 'model said: echo(why?)' }]);
  });

  test('elicitation requests from an upstream reach the client and its answer returns', async () => {
    const { client } = await h.client({ capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { ok: true } }));
    const result = await client.callTool({ name: 'beta__confirm', arguments: { action: 'deploy' } });
    expect(result.content).toEqual([{ type: 'text', text: 'user accept: {"ok":true}' }]);
  });

  test('server notifications on the standalone stream reach the client (GET stream through the gateway)', async () => {
    const { client } = await h.client();
    let changes = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => { changes++; });
    // The client opens its GET stream right after connecting; retry until it is in place.
    for (let attempt = 0; attempt < 20 && changes === 0; attempt++) {
      await client.callTool({ name: 'alpha__announce', arguments: {} });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect(changes).toBeGreaterThan(0);
  });

  test('resources: list, read by exact URI and by template', async () => {
    const { client } = await h.client();
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain('sample://readme');
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('sample://items/{id}');
    await expect(client.readResource({ uri: 'sample://readme' })).rejects.toThrow(/several upstreams/);
    const { client: alphaOnly } = await h.client({ endpoint: 'alpha' });
    const read = await alphaOnly.readResource({ uri: 'sample://items/7' });
    expect(read.contents).toEqual([{ uri: 'sample://items/7', mimeType: 'application/json', text: '{"id":"7"}' }]);
  });

  test('prompts: list prefixed and get', async () => {
    const { client } = await h.client();
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['alpha__greet', 'beta__greet']);
    const prompt = await client.getPrompt({ name: 'beta__greet', arguments: { name: 'Ada' } });
    expect(prompt.messages[0].content).toEqual({ type: 'text', text: 'Say hello to Ada.' });
  });

  test('per-upstream endpoint shows unprefixed names of one upstream', async () => {
    const { client } = await h.client({ endpoint: 'beta' });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    expect(tools.map((t) => t.name).some((n) => n.includes('__'))).toBe(false);
    expect(client.getServerVersion()?.name).toBe('mcp-security-gateway/beta');
  });

  test('session termination ends the upstream sessions and later requests get 404', async () => {
    const before = h.upstreams.alpha.sessions();
    const { client, transport } = await h.client();
    expect(h.upstreams.alpha.sessions()).toBe(before + 1);
    const sessionId = transport.sessionId!;
    await transport.terminateSession();
    expect(h.upstreams.alpha.sessions()).toBe(before);
    const res = await fetch(`${h.base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', 'authorization': `Bearer ${await h.token()}`, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(404);
    await client.close();
  });

  // proves: zero-trust/just-in-time, zero-trust/least-privilege
  test('upstreams receive minted tokens, never the client token', async () => {
    // The upstreams verify every request against the gateway JWKS with their own audience: a
    // forwarded client token (audience: the gateway) would be refused with 401.
    const { client } = await h.client();
    await expect(client.callTool({ name: 'alpha__echo', arguments: { message: 'hi' } })).resolves.toMatchObject({ content: [{ text: 'hi' }] });
  });
});
