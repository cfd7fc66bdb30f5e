import { createHmac, createPublicKey } from 'node:crypto';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { Harness, startHarness } from './support/harness';
import { answerMessages, INITIALIZE, mcpHeaders, raw } from './support/raw';

const CHALLENGE_BASE = 'Bearer resource_metadata="http://gateway.test/.well-known/oauth-protected-resource"';

describe('attacks on the gateway are refused with the exact status and error', () => {
  let h: Harness;
  let mcp: string;
  beforeAll(async () => {
    h = await startHarness();
    mcp = `${h.base}/mcp`;
  });
  afterAll(async () => { await h.close(); });
  beforeEach(() => {
    h.fake.events.length = 0;
    h.fake.decide = () => undefined;
    h.fake.inspect = () => undefined;
    h.fake.failRecords = false;
  });

  async function session(token: string): Promise<string> {
    const res = await raw(mcp, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(200);
    return res.headers['mcp-session-id'] as string;
  }
  function lastAudit() {
    return h.fake.events[h.fake.events.length - 1];
  }

  // proves: zero-trust/continuous-verification, defense-in-depth/identity
  test('missing token: 401 with the resource metadata and scope challenge', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`${CHALLENGE_BASE}, scope="mcp"`);
    expect(lastAudit()).toMatchObject({ method: 'http:401', decision: 'deny', httpStatus: 401 });
  });

  // proves: zero-trust/continuous-verification
  test('token for another audience: 401 invalid_token', async () => {
    const token = await h.token('alice', ['mcp'], { audience: 'https://other.example' });
    const res = await raw(mcp, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`${CHALLENGE_BASE}, scope="mcp", error="invalid_token", error_description="token claim aud is invalid"`);
    expect(lastAudit()).toMatchObject({ method: 'http:401', decision: 'deny' });
  });

  // proves: zero-trust/just-in-time, isolation/temporal
  test('expired token: 401 invalid_token "token expired"', async () => {
    const token = await h.token('alice', ['mcp'], { expiresInSeconds: -120 });
    const res = await raw(mcp, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error_description="token expired"');
  });

  // proves: defense-in-depth/identity
  test('alg none: 401, the algorithm is not on the allow-list', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'https://issuer.test', aud: 'http://gateway.test', sub: 'mallory', scope: 'mcp', exp: now + 600, iat: now })}.`;
    const res = await raw(mcp, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  test('HS256 signed with the issuer public key as HMAC secret: 401', async () => {
    const pem = createPublicKey({ key: h.issuer.publicJwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: h.issuer.publicJwk.kid })}.${b64({ iss: 'https://issuer.test', aud: 'http://gateway.test', sub: 'mallory', scope: 'mcp', exp: now + 600, iat: now })}`;
    const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    const res = await raw(mcp, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error_description="token signing algorithm is not allowed"');
  });

  // proves: defense-in-depth/identity
  test('token in the query string: 400 invalid_request, even with a valid header', async () => {
    const token = await h.token();
    const res = await raw(`${mcp}?access_token=${token}`, { headers: mcpHeaders(token), body: INITIALIZE });
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe(`${CHALLENGE_BASE}, scope="mcp", error="invalid_request", error_description="access tokens are accepted only in the Authorization header"`);
    expect(lastAudit()).toMatchObject({ method: 'http:400', decision: 'deny' });
  });

  // proves: defense-in-depth/application
  test('foreign Origin: 403 before authentication', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token(), { origin: 'https://evil.example.com' }), body: INITIALIZE });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Forbidden: Origin not allowed' } });
    expect(lastAudit()).toMatchObject({ method: 'http:403', decision: 'deny' });
  });

  test('rebinding Host: 403', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token(), { host: 'evil.example.com' }), body: INITIALIZE });
    expect(res.status).toBe(403);
  });

  // proves: zero-trust/continuous-verification, defense-in-depth/identity
  test('another subject presenting a session id: 404 as if it did not exist', async () => {
    const sid = await session(await h.token('alice'));
    const res = await raw(mcp, { headers: mcpHeaders(await h.token('bob'), { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
    expect(lastAudit()).toMatchObject({ method: 'http:404', decision: 'deny', subject: 'bob' });
    const forged = await raw(mcp, { headers: mcpHeaders(await h.token('alice'), { 'mcp-session-id': `${sid.slice(0, -4)}AAAA` }), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(forged.status).toBe(404);
  });

  test('missing session id after initialize: 400', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token()), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(res.status).toBe(400);
  });

  test('oversized body: 413', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token()), body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(lastAudit()).toMatchObject({ method: 'http:413', decision: 'deny' });
  });

  test('too-large headers: 431', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token(), { 'x-padding': 'p'.repeat(20 * 1024) }), body: INITIALIZE });
    expect(res.status).toBe(431);
  });

  test.each([
    { name: 'not JSON', body: '{"jsonrpc":', code: -32700 },
    { name: 'no jsonrpc member', body: '{"id":1,"method":"tools/list"}', code: -32600 },
    { name: 'null id', body: '{"jsonrpc":"2.0","id":null,"method":"tools/list"}', code: -32600 },
    { name: 'params not an object', body: '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]}', code: -32600 },
    { name: 'empty batch', body: '[]', code: -32600 },
    { name: 'batch over the limit', body: JSON.stringify(Array.from({ length: 11 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))), code: -32600 },
    { name: 'batch with repeated ids', body: JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'ping' }, { jsonrpc: '2.0', id: 1, method: 'ping' }]), code: -32600 },
    { name: 'initialize inside a batch', body: `[${INITIALIZE}]`, code: -32600 },
  ])('malformed JSON-RPC ($name): HTTP 400, code $code, audited', async ({ body, code }) => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token()), body });
    expect(res.status).toBe(400);
    expect((res.json().error as { code: number }).code).toBe(code);
    expect(lastAudit()).toMatchObject({ method: 'http:400', decision: 'deny', rpcErrorCode: code });
  });

  // proves: defense-in-depth/authorization, zero-trust/least-privilege
  test('scope too small for a tool: 403 with the exact insufficient_scope challenge', async () => {
    h.fake.decide = (_ctx, target) => (target.name === 'echo'
      ? { allow: false, reasons: ['needs write'], policyIds: ['tool-scopes'], stepUp: true, requiredScopes: ['mcp', 'mcp:tools', 'mcp:tools:write'], missingScopes: ['mcp:tools:write'] }
      : undefined);
    const token = await h.token();
    const sid = await session(token);
    const res = await raw(mcp, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'alpha__echo', arguments: { message: 'x' } } }) });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(`${CHALLENGE_BASE}, scope="mcp mcp:tools mcp:tools:write", error="insufficient_scope", error_description="additional scope required"`);
    expect(lastAudit()).toMatchObject({ method: 'http:403', decision: 'deny' });
  });

  test('token without the gateway-wide scope: 403 insufficient_scope naming it', async () => {
    const res = await raw(mcp, { headers: mcpHeaders(await h.token('alice', ['mcp:tools'])), body: INITIALIZE });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(`${CHALLENGE_BASE}, scope="mcp:tools mcp", error="insufficient_scope", error_description="additional scope required"`);
  });

  // proves: defense-in-depth/authorization
  test('disallowed tool: JSON-RPC -32003 and a deny audit record', async () => {
    h.fake.decide = (_ctx, target) => (target.name === 'add' ? { allow: false, reasons: ['not for you'], policyIds: ['deny-add'] } : undefined);
    const { client } = await h.client();
    const error = await client.callTool({ name: 'alpha__add', arguments: { a: 1, b: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32003);
    expect(h.fake.events.find((e) => e.method === 'tools/call')).toMatchObject({ decision: 'deny', policyIds: ['deny-add'], target: { kind: 'tool', name: 'add', upstream: 'alpha' } });
  });

  // proves: defense-in-depth/application
  test('rate limited: 429 with Retry-After', async () => {
    const token = await h.token();
    const sid = await session(token);
    h.fake.decide = () => ({ allow: false, reasons: ['rate'], policyIds: ['gateway:rate-limit'], retryAfterSeconds: 2.2 });
    const res = await raw(mcp, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }) });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('3');
  });

  // proves: defense-in-depth/application
  test('result blocked by a guardrail: JSON-RPC -32004, result not forwarded', async () => {
    h.fake.inspect = () => ({ result: undefined, blocked: true, findings: [{ detector: 'instruction-override', category: 'injection', severity: 'high', action: 'block', location: 'content[0].text', message: 'override' }] });
    const token = await h.token();
    const sid = await session(token);
    const res = await raw(mcp, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'beta__leak', arguments: {} } }) });
    expect(res.status).toBe(200);
    const [message] = answerMessages(res);
    expect(message).toEqual({ jsonrpc: '2.0', id: 9, error: { code: -32004, message: 'Result blocked by a guardrail' } });
    expect(res.text).not.toContain('AKIA');
    expect(h.fake.events.find((e) => e.method === 'tools/call')).toMatchObject({ decision: 'deny', findings: [expect.objectContaining({ detector: 'instruction-override' })] });
  });

  // proves: secure-by-default/fail-secure, observability
  test('audit sink down: the result is withheld (fail closed)', async () => {
    const token = await h.token();
    const sid = await session(token);
    h.fake.failRecords = true;
    const res = await raw(mcp, { headers: mcpHeaders(token, { 'mcp-session-id': sid }), body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'alpha__echo', arguments: { message: 'secret' } } }) });
    expect(answerMessages(res)).toEqual([{ jsonrpc: '2.0', id: 3, error: { code: -32006, message: 'Audit unavailable; request not completed' } }]);
  });

  test('unsupported protocol version header: 400', async () => {
    const token = await h.token();
    const sid = await session(token);
    const res = await raw(mcp, { headers: mcpHeaders(token, { 'mcp-session-id': sid, 'mcp-protocol-version': '1999-01-01' }), body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
    expect(res.status).toBe(400);
  });
});
