import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { FakeEnforcement } from './fake-enforcement';
import { parseConfig } from '../../src/config/load';
import { GatewayConfigInput } from '../../src/config/schema';
import { DevIssuer } from '../../src/dev/dev-issuer';
import { mintedTokenCheck } from '../../src/dev/minted-token-check';
import { SampleUpstream, startSampleUpstream } from '../../src/dev/sample-upstream';
import { Enforcement } from '../../src/enforcement/types';
import { EventPublisher } from '../../src/incidents/event-publisher';
import { silentLogger } from '../../src/observability/log';
import { Gateway } from '../../src/server';
import { LocalSigner, TokenSigner } from '../../src/tokens/signer';

/** Canonical URI of the gateway in tests (the token audience); clients connect on loopback. */
export const PUBLIC_URL = 'http://gateway.test';
export const ISSUER = 'https://issuer.test';
/** A fixed 32-byte session key, shared by replicas in the scale test. */
export const SESSION_KEY = Buffer.alloc(32, 7).toString('base64');

/** A running gateway with its upstreams and issuer. */
export interface Harness {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly issuer: DevIssuer;
  readonly upstreams: Record<string, SampleUpstream>;
  readonly enforcement: Enforcement;
  readonly fake: FakeEnforcement;
  token(subject?: string, scopes?: string[], overrides?: { audience?: string; expiresInSeconds?: number }): Promise<string>;
  client(options?: {
    subject?: string; endpoint?: string; capabilities?: ClientCapabilities; token?: string;
  }): Promise<{ client: Client; transport: StreamableHTTPClientTransport }>;
  close(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  readonly upstreams?: string[];
  readonly config?: Partial<GatewayConfigInput>;
  readonly enforcement?: Enforcement;
  readonly signer?: TokenSigner;
  readonly issuer?: DevIssuer;
  /** Reuse running upstreams instead of starting new ones (scale test). */
  readonly running?: Record<string, SampleUpstream>;
  /** Upstreams that answer POSTs with JSON bodies instead of SSE streams. */
  readonly jsonUpstreams?: readonly string[];
  /** ECS service ARN by upstream name (quarantine requests name it). */
  readonly ecsServices?: Readonly<Record<string, string>>;
  /** Receives the gateway's EventBridge events (quarantine requests). */
  readonly eventPublisher?: EventPublisher;
}

/** Starts upstreams, a development issuer and a gateway on loopback. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const issuer = options.issuer ?? await DevIssuer.create(ISSUER);
  const signer = options.signer ?? new LocalSigner();
  const jwks = { keys: [await signer.publicJwk()] };
  const names = options.upstreams ?? ['alpha', 'beta'];
  const upstreams: Record<string, SampleUpstream> = options.running ?? {};
  if (options.running === undefined) {
    for (const name of names) {
      upstreams[name] = await startSampleUpstream({
        name, jsonResponse: options.jsonUpstreams?.includes(name), verify: mintedTokenCheck({ jwks, issuer: PUBLIC_URL, audience: `urn:upstream:${name}` }),
      });
    }
  }
  const config = parseConfig({
    mode: 'development',
    server: { host: '127.0.0.1', port: 0, publicUrl: PUBLIC_URL },
    auth: { issuer: ISSUER, jwks: issuer.jwks, requiredScopes: ['mcp'] },
    sessions: { key: { source: 'inline', value: SESSION_KEY } },
    upstreams: names.map((name) => ({
      name, url: upstreams[name].url, audience: `urn:upstream:${name}`, timeoutMs: 15000, ecsServiceArn: options.ecsServices?.[name],
    })),
    ...options.config,
  });
  const fake = new FakeEnforcement();
  const enforcement = options.enforcement ?? fake;
  const gateway = await Gateway.create({ config, enforcement, signer, log: silentLogger, eventPublisher: options.eventPublisher });
  const { port } = await gateway.listen();
  const base = `http://127.0.0.1:${port}`;
  const token: Harness['token'] = (subject = 'alice', scopes = ['mcp', 'mcp:tools', 'mcp:resources', 'mcp:prompts'], overrides = {}) =>
    issuer.issue({ subject, scopes, audience: overrides.audience ?? PUBLIC_URL, expiresInSeconds: overrides.expiresInSeconds });
  const clients: Client[] = [];
  return {
    gateway,
    base,
    issuer,
    upstreams,
    enforcement,
    fake,
    token,
    client: async (opts = {}) => {
      const client = new Client({ name: 'test-client', version: '1.0.0' }, { capabilities: opts.capabilities ?? {} });
      const bearer = opts.token ?? await token(opts.subject);
      const path = opts.endpoint === undefined ? '/mcp' : `/mcp/${opts.endpoint}`;
      const transport = new StreamableHTTPClientTransport(new URL(`${base}${path}`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } });
      await client.connect(transport);
      clients.push(client);
      return { client, transport };
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await gateway.close();
      if (options.running === undefined) await Promise.all(Object.values(upstreams).map((u) => u.close()));
    },
  };
}
