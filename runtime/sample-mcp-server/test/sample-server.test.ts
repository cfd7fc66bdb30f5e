import * as http from 'http';
import { AddressInfo } from 'net';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mockClient } from 'aws-sdk-client-mock';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { gatewayTokenVerifier } from '../src/auth';
import { createSampleHttpServer } from '../src/http';
import { NoteStore } from '../src/notes';

const ISSUER = 'https://gateway.test';
const AUDIENCE = 'https://sample.upstream.test/mcp';

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sample MCP server behind the gateway', () => {
  let jwksServer: http.Server;
  let mcpServer: http.Server;
  let baseUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    const jwksUrl = new URL(`${await listen(jwksServer)}/.well-known/jwks.json`);
    const verify = gatewayTokenVerifier({ key: { jwksUrl }, issuer: ISSUER, audience: AUDIENCE });
    mcpServer = createSampleHttpServer(new NoteStore([{ title: 'Welcome', body: 'hello kit' }]), { path: '/mcp', verify });
    baseUrl = await listen(mcpServer);
  });

  afterAll(async () => {
    await new Promise((r) => mcpServer.close(r));
    await new Promise((r) => jwksServer.close(r));
  });

  const mint = (audience: string, expiresIn = '5m') => new SignJWT({ sub: 'alice' })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(audience)
    .setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);

  async function connect(token: string): Promise<Client> {
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }));
    return client;
  }

  test('lists and calls tools with a token minted for this server', async () => {
    const client = await connect(await mint(AUDIENCE));
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name).sort()).toEqual(['add_note', 'delete_note', 'get_note', 'search_notes']);
    const result = await client.callTool({ name: 'search_notes', arguments: { query: 'kit' } });
    expect(JSON.parse((result.content as Array<{ text: string }>)[0].text)).toEqual([{ id: '1', title: 'Welcome', body: 'hello kit' }]);
    await client.close();
  });

  test.each([
    ['no token', undefined],
    ['a token for another upstream', 'other'],
    ['a token that is not a JWT', 'garbage'],
  ])('answers 401 to %s', async (_name, variant) => {
    const token = variant === 'other' ? await mint('https://other.upstream.test/mcp') : variant;
    const response = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
  });

  test('accepts the minted token beside a SigV4 Authorization header (VPC Lattice)', async () => {
    const response = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'accept': 'application/json, text/event-stream',
        'authorization': 'AWS4-HMAC-SHA256 Credential=AKID/20261127/us-east-1/vpc-lattice-svcs/aws4_request, SignedHeaders=host, Signature=00',
        'x-mcp-upstream-authorization': `Bearer ${await mint(AUDIENCE)}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });
    expect(response.status).toBe(200);
  });

  test('answers 413 to an oversized body', async () => {
    const response = await fetch(`${baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'authorization': `Bearer ${await mint(AUDIENCE)}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });
});

describe('gatewayTokenVerifier with a KMS signing key', () => {
  test('verifies with the public key KMS returns, fetched once', async () => {
    const keys = await generateKeyPair('ES256', { extractable: true });
    const der = Buffer.from((await exportSPKI(keys.publicKey)).replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const kms = mockClient(KMSClient);
    kms.on(GetPublicKeyCommand).resolves({ KeySpec: 'ECC_NIST_P256', PublicKey: new Uint8Array(der) });
    const verify = gatewayTokenVerifier({ key: { kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/abc', kms: new KMSClient({ region: 'us-east-1' }) }, issuer: ISSUER, audience: AUDIENCE });
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'ES256' }).setIssuer(ISSUER).setAudience(AUDIENCE)
      .setIssuedAt().setExpirationTime('5m').sign(keys.privateKey);
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'alice' });
    await expect(verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'alice' });
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ sub: 'mallory' }).setProtectedHeader({ alg: 'ES256' }).setIssuer(ISSUER).setAudience(AUDIENCE)
      .setIssuedAt().setExpirationTime('5m').sign(other.privateKey);
    await expect(verify(`Bearer ${forged}`)).rejects.toThrow(/invalid token/);
    kms.restore();
  });
});
