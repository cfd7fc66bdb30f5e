import { createHash } from 'node:crypto';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { latticeRequestSigner } from '../../src/proxy/sigv4';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session' };

describe('latticeRequestSigner', () => {
  let server: http.Server;
  let seen: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, path: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => { seen = []; });

  test('what arrives on the wire carries a valid vpc-lattice-svcs signature over the body', async () => {
    const sign = latticeRequestSigner({ region: 'us-east-1', credentials: async () => credentials });
    const url = new URL(`${base}/mcp`);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const headers = await sign(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mcp-upstream-authorization': 'Bearer minted' }, body });
    await fetch(url, { method: 'POST', headers, body });

    const [request] = seen;
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/vpc-lattice-svcs\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
    expect(request.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    expect(request.headers['x-amz-security-token']).toBe('session');
    expect(request.headers['x-mcp-upstream-authorization']).toBe('Bearer minted');

    // Re-sign what the server received, at the received date: the signatures must agree.
    const verifier = new SignatureV4({ service: 'vpc-lattice-svcs', region: 'us-east-1', credentials, sha256: Sha256 });
    const amzDate = String(request.headers['x-amz-date']);
    const signedNames = /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))![1].split(';');
    const received = Object.fromEntries(signedNames.map((name) => [name, String(request.headers[name])]));
    const resigned = await verifier.sign({
      method: request.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: Number(url.port),
      path: request.path,
      query: {},
      headers: Object.fromEntries(Object.entries(received).filter(([name]) => !['authorization', 'x-amz-date', 'x-amz-security-token'].includes(name))),
      body: request.body,
    }, { signingDate: new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`) });
    expect(resigned.headers.authorization).toBe(request.headers.authorization);
  });

  test('a body that is not a string is sent as UNSIGNED-PAYLOAD', async () => {
    const sign = latticeRequestSigner({ region: 'eu-west-1', credentials: async () => credentials });
    const headers = await sign(new URL(`${base}/mcp`), { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(headers.authorization).toContain('/eu-west-1/vpc-lattice-svcs/aws4_request');
  });
});
