import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { Harness, startHarness } from './support/harness';
import { answerMessages, INITIALIZE, mcpHeaders, raw } from './support/raw';
import { createSampleServer } from '../src/dev/sample-upstream';
import { verifyAuditLines } from '../src/enforcement/audit/chain-verifier';
import { parseEnforcementConfig } from '../src/enforcement/config';
import { createEnforcement } from '../src/enforcement/create-enforcement';

/** Tool definitions as the sample upstream lists them, read in memory (no network, no gateway). */
async function sampleTools(name: string) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createSampleServer(name).connect(serverSide);
  const client = new Client({ name: 'pinner', version: '1' });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

describe('gateway with the real enforcement point (Cedar, pinning, guardrails, audit chain)', () => {
  let h: Harness;
  const lines: string[] = [];

  beforeAll(async () => {
    // A reviewer approved echo, add, count and leak as they are, and a different "wait" than
    // the one the upstream serves now: wait has drifted. Everything else was never approved.
    const tools = await sampleTools('alpha');
    const scratch = await createEnforcement(parseEnforcementConfig({ pinning: { mode: 'report' } }), { sink: { write: async () => undefined } });
    const hashes = scratch.pinTools('alpha', tools).approvalSnippet.alpha;
    const drifted = scratch.pinTools('alpha', tools.map((t) => (t.name === 'wait' ? { ...t, description: 'Wait politely.' } : t))).approvalSnippet.alpha;
    const approved = { alpha: { echo: hashes.echo, add: hashes.add, count: hashes.count, leak: hashes.leak, wait: drifted.wait } };
    const enforcement = await createEnforcement(parseEnforcementConfig({ pinning: { mode: 'enforce', approved } }), { sink: { write: async (line) => { lines.push(line); } } });
    h = await startHarness({ upstreams: ['alpha'], enforcement });
  });
  afterAll(async () => { await h.close(); });

  test('tools/list shows only approved, unchanged tools', async () => {
    const { client } = await h.client();
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['alpha__add', 'alpha__count', 'alpha__echo', 'alpha__leak']);
  });

  test('a never-approved tool and a drifted tool are uncallable', async () => {
    const { client } = await h.client();
    for (const name of ['alpha__announce', 'alpha__wait']) {
      const error = await client.callTool({ name, arguments: { ms: 1 } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(-32003);
    }
  });

  test('a destructive tool needs step-up: 403 with the exact scope challenge', async () => {
    const token = await h.token();
    const init = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE });
    const sid = init.headers['mcp-session-id'] as string;
    const res = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'alpha__count', arguments: { n: 1 } } }) });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe('Bearer resource_metadata="http://gateway.test/.well-known/oauth-protected-resource", '
      + 'scope="mcp mcp:prompts mcp:resources mcp:tools mcp:tools:destructive", error="insufficient_scope", error_description="additional scope required"');
    const elevated = await h.token('alice', ['mcp', 'mcp:tools', 'mcp:tools:destructive']);
    const { client } = await h.client({ token: elevated });
    await expect(client.callTool({ name: 'alpha__count', arguments: { n: 2 } })).resolves.toMatchObject({ content: [{ text: 'counted to 2' }] });
  });

  test('an injection in a tool result is blocked and the secret never reaches the client', async () => {
    // leak declares no readOnlyHint, so it counts as destructive: an elevated token calls it.
    const token = await h.token('alice', ['mcp', 'mcp:tools', 'mcp:tools:destructive']);
    const init = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE });
    const sid = init.headers['mcp-session-id'] as string;
    const res = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'alpha__leak', arguments: {} } }) });
    expect(res.status).toBe(200);
    expect(answerMessages(res)).toEqual([{ jsonrpc: '2.0', id: 4, error: { code: -32004, message: 'Result blocked by a guardrail' } }]);
    expect(res.text).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const record = lines.map((l) => JSON.parse(l) as Record<string, unknown>).reverse().find((r) => r.method === 'tools/call');
    expect(JSON.stringify(record)).toContain('instruction-override');
    expect(JSON.stringify(record)).not.toContain('AKIAIOSFODNN7EXAMPLE');
  });

  test('one audit record per request, a verifying hash chain, and a flipped byte is found', async () => {
    const before = lines.length;
    const token = await h.token();
    const init = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE });
    const sid = init.headers['mcp-session-id'] as string;
    const headers = mcpHeaders(token, { 'mcp-session-id': sid });
    await raw(`${h.base}/mcp`, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    const calls = 40;
    await Promise.all(Array.from({ length: calls }, (_, i) => raw(`${h.base}/mcp`, { headers, body: JSON.stringify({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'alpha__add', arguments: { a: i, b: 1 } } }) })));
    await raw(`${h.base}/mcp`, { headers: mcpHeaders(), body: INITIALIZE });
    // initialize + 40 calls + one refused request; the notification is not a decision.
    expect(lines.length - before).toBe(1 + calls + 1);

    const report = await verifyAuditLines(lines);
    expect(report).toMatchObject({ ok: true, records: lines.length });
    const tampered = [...lines];
    const target = before + 5;
    tampered[target] = tampered[target].replace('"allow"', '"deny"');
    expect(tampered[target]).not.toBe(lines[target]);
    const broken = await verifyAuditLines(tampered);
    expect(broken.ok).toBe(false);
    expect(broken.firstBroken?.line).toBe(target + 1);
  });
});
