import { generateKeyPairSync } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Balancer, startBalancer } from './support/balancer';
import { FakeEnforcement } from './support/fake-enforcement';
import { ISSUER, PUBLIC_URL, SESSION_KEY } from './support/harness';
import { mcpHeaders, raw } from './support/raw';
import { parseConfig } from '../src/config/load';
import { DevIssuer } from '../src/dev/dev-issuer';
import { mintedTokenCheck } from '../src/dev/minted-token-check';
import { SampleUpstream, startSampleUpstream } from '../src/dev/sample-upstream';
import { silentLogger } from '../src/observability/log';
import { Gateway } from '../src/server';
import { LocalSigner } from '../src/tokens/signer';

describe('horizontal scale: two replicas sharing nothing but configuration', () => {
  const signingPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let issuer: DevIssuer;
  let upstream: SampleUpstream;
  let balancer: Balancer;
  const replicas: Gateway[] = [];

  async function replica(port: number): Promise<Gateway> {
    const config = parseConfig({
      mode: 'development',
      server: { host: '127.0.0.1', port, publicUrl: PUBLIC_URL, allowedHosts: [`127.0.0.1:${balancer.port}`] },
      auth: { issuer: ISSUER, jwks: issuer.jwks },
      tokens: { signer: { kind: 'local', privateKeyPem: signingPem } },
      sessions: { key: { source: 'inline', value: SESSION_KEY } },
      upstreams: [{ name: 'notes', url: upstream.url, audience: 'urn:notes' }],
    });
    const gateway = await Gateway.create({ config, enforcement: new FakeEnforcement(), log: silentLogger });
    await gateway.listen();
    return gateway;
  }
  const served = (g: Gateway) => g.metrics.total('mcp_gateway_requests_total');
  const portOf = (g: Gateway) => (g.server.address() as { port: number }).port;

  beforeAll(async () => {
    issuer = await DevIssuer.create(ISSUER);
    const jwks = { keys: [await new LocalSigner(signingPem).publicJwk()] };
    upstream = await startSampleUpstream({ verify: mintedTokenCheck({ jwks, issuer: PUBLIC_URL, audience: 'urn:notes' }) });
    balancer = await startBalancer();
    replicas.push(await replica(0), await replica(0));
    balancer.setBackends(replicas.map(portOf));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await balancer.close();
    await upstream.close();
  });

  test('one client session alternates between replicas and survives the restart of one', async () => {
    const token = await issuer.issue({ subject: 'alice', audience: PUBLIC_URL });
    const transport = new StreamableHTTPClientTransport(new URL(`${balancer.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
    const client = new Client({ name: 'scale', version: '1' });
    await client.connect(transport);
    const sessionId = transport.sessionId;

    for (let i = 0; i < 10; i++) {
      await expect(client.callTool({ name: 'notes__add', arguments: { a: i, b: 1 } })).resolves.toMatchObject({ content: [{ text: String(i + 1) }] });
    }
    expect(served(replicas[0])).toBeGreaterThanOrEqual(4);
    expect(served(replicas[1])).toBeGreaterThanOrEqual(4);

    const port = portOf(replicas[1]);
    await replicas[1].close();
    for (let i = 0; i < 3; i++) {
      await expect(client.callTool({ name: 'notes__echo', arguments: { message: `while down ${i}` } })).resolves.toMatchObject({ content: [{ text: `while down ${i}` }] });
    }
    replicas[1] = await replica(port);
    for (let i = 0; i < 6; i++) {
      await expect(client.callTool({ name: 'notes__echo', arguments: { message: `after ${i}` } })).resolves.toMatchObject({ content: [{ text: `after ${i}` }] });
    }
    expect(served(replicas[1])).toBeGreaterThanOrEqual(2);
    expect(transport.sessionId).toBe(sessionId);
    expect(upstream.sessions()).toBe(1);

    await transport.terminateSession();
    expect(upstream.sessions()).toBe(0);
    // Both replicas answer 404 for the terminated session: the one that terminated it from its
    // own list, the other because the upstream no longer knows the upstream session.
    for (const r of replicas) {
      const res = await raw(`http://127.0.0.1:${portOf(r)}/mcp`, {
        headers: mcpHeaders(token, { 'mcp-session-id': sessionId! }),
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'notes__echo', arguments: { message: 'x' } } }),
      });
      expect(res.status).toBe(404);
    }
    await client.close();
  });
});
