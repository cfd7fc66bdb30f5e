import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../config/load';
import { createLogger } from '../observability/log';
import { Gateway } from '../server';
import { DevIssuer } from './dev-issuer';
import { mintedTokenCheck } from './minted-token-check';
import { startSampleUpstream } from './sample-upstream';
import { LocalSigner } from '../tokens/signer';

/**
 * `npm run gateway`: the whole thing on one machine, bound to 127.0.0.1 only. A sample upstream
 * built with the SDK, a development issuer whose token is printed below, the starter Cedar
 * policy, and the gateway in development mode (which says so loudly on every start).
 */
async function start(): Promise<void> {
  const port = Number(process.env.PORT ?? 8080);
  const publicUrl = `http://127.0.0.1:${port}`;
  const log = createLogger('info');
  const signer = new LocalSigner();
  const issuer = await DevIssuer.create('https://dev-issuer.local');
  const upstream = await startSampleUpstream({
    host: '127.0.0.1',
    name: 'sample',
    verify: mintedTokenCheck({ jwks: { keys: [await signer.publicJwk()] }, issuer: publicUrl, audience: 'urn:mcp:sample' }),
  });
  const auditDir = mkdtempSync(join(tmpdir(), 'mcp-gateway-audit-'));
  const config = parseConfig({
    mode: 'development',
    server: {
      host: '127.0.0.1',
      port,
      publicUrl,
      // The MCP Inspector's browser UI.
      allowedOrigins: ['http://localhost:6274', 'http://127.0.0.1:6274'],
    },
    auth: { issuer: issuer.issuer, jwks: issuer.jwks, requiredScopes: ['mcp'], scopesSupported: ['mcp', 'mcp:tools', 'mcp:resources', 'mcp:prompts', 'mcp:tools:destructive'] },
    upstreams: [{ name: 'sample', url: upstream.url, audience: 'urn:mcp:sample' }],
    enforcement: {
      gatewayName: 'mcp-gateway-dev',
      // New tools are shown with findings instead of quarantined, so a fresh checkout has tools.
      pinning: { mode: 'report' },
      audit: { sink: { type: 'file', path: join(auditDir, 'audit.jsonl') } },
    },
  });
  const gateway = await Gateway.create({ config, signer, log });
  await gateway.listen();
  const scopes = ['mcp', 'mcp:tools', 'mcp:resources', 'mcp:prompts'];
  const token = await issuer.issue({ subject: 'developer', audience: publicUrl, scopes, expiresInSeconds: 8 * 3600 });
  const elevated = await issuer.issue({ subject: 'developer', audience: publicUrl, scopes: [...scopes, 'mcp:tools:destructive'], expiresInSeconds: 3600 });
  process.stdout.write([
    '',
    'MCP security gateway (development mode) is running.',
    `  aggregated endpoint:   ${publicUrl}/mcp`,
    `  per-upstream endpoint: ${publicUrl}/mcp/sample`,
    `  metadata:              ${publicUrl}/.well-known/oauth-protected-resource`,
    `  audit log:             ${join(auditDir, 'audit.jsonl')}`,
    '',
    'Access token (subject "developer", valid 8 hours):',
    token,
    '',
    'Elevated token (adds mcp:tools:destructive, valid 1 hour); tools without readOnlyHint need it:',
    elevated,
    '',
    'Connect with the MCP Inspector: npx @modelcontextprotocol/inspector, transport "Streamable HTTP",',
    `URL ${publicUrl}/mcp, header "Authorization: Bearer <token above>".`,
    '',
  ].join('\n') + '\n');
  const stop = () => {
    void Promise.all([gateway.close(), upstream.close()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

start().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
