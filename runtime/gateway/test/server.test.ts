import { Harness, startHarness } from './support/harness';
import { answerMessages, INITIALIZE, mcpHeaders, raw } from './support/raw';

describe('gateway HTTP surface', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ upstreams: ['alpha'] }); });
  afterAll(async () => { await h.close(); });

  test('health, readiness and unknown paths', async () => {
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${h.base}/readyz`)).json()).toEqual({ status: 'ready' });
    expect((await fetch(`${h.base}/mcp/nope`)).status).toBe(404);
    expect((await fetch(`${h.base}/admin`)).status).toBe(404);
  });

  test('RFC 9728 metadata names the canonical URI, the issuer and header-only bearer tokens', async () => {
    const res = await fetch(`${h.base}/.well-known/oauth-protected-resource`);
    expect(await res.json()).toEqual({
      resource: 'http://gateway.test',
      authorization_servers: ['https://issuer.test'],
      scopes_supported: ['mcp'],
      bearer_methods_supported: ['header'],
      resource_name: 'MCP security gateway',
    });
    expect((await fetch(`${h.base}/.well-known/oauth-protected-resource/mcp`)).status).toBe(200);
  });

  test('the JWKS publishes exactly the public signing key', async () => {
    const jwks = await (await fetch(`${h.base}/.well-known/jwks.json`)).json() as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  test('metrics count requests by method and outcome, and rejections by status', async () => {
    const token = await h.token();
    const sid = (await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE })).headers['mcp-session-id'] as string;
    await raw(`${h.base}/mcp`, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    await raw(`${h.base}/mcp`, { headers: mcpHeaders(), body: INITIALIZE });
    const text = await (await fetch(`${h.base}/metrics`)).text();
    expect(text).toMatch(/^mcp_gateway_requests_total\{method="tools\/list",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^mcp_gateway_rejections_total\{status="401"\} [1-9]/m);
    expect(text).toContain('# TYPE mcp_gateway_http_request_duration_seconds histogram');
  });

  test('close() lets a request in flight finish within the grace period', async () => {
    const local = await startHarness({ upstreams: ['alpha'] });
    const token = await local.token();
    const sid = (await raw(`${local.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE })).headers['mcp-session-id'] as string;
    const call = raw(`${local.base}/mcp`, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'alpha__wait', arguments: { ms: 300 } } }) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = local.gateway.close(5000);
    const res = await call;
    expect(answerMessages(res)).toEqual([{ jsonrpc: '2.0', id: 7, result: { content: [{ type: 'text', text: 'waited 300 ms' }] } }]);
    await closing;
    await Promise.all(Object.values(local.upstreams).map((u) => u.close()));
  });
});
