import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stubKms } from './kms-stub';
import { parseConfig } from '../src/config/load';
import { DevIssuer } from '../src/dev/dev-issuer';
import { silentLogger } from '../src/observability/log';
import { Gateway } from '../src/server';

/**
 * Benchmark child: the gateway in front of `upstreamUrl`, in `benchmark` mode (security off) or
 * `full` mode (token validation, Cedar, pinning, guardrails, audit with envelope encryption,
 * KMS-signed upstream tokens through a stub KMS with realistic latency). The audit sink is
 * stdout, as the construct deploys it (`stdout`, the default), or a file (`file`).
 * Usage: `gateway-process.ts <benchmark|full> <upstream url> [stdout|file]`.
 */
void (async () => {
  const [mode, upstreamUrl, sinkType = 'stdout'] = process.argv.slice(2);
  const issuer = await DevIssuer.create('https://bench-issuer.local');
  const kms = stubKms();
  const publicUrl = 'http://127.0.0.1';
  const config = parseConfig({
    mode: mode === 'full' ? 'development' : 'benchmark',
    server: { host: '127.0.0.1', port: 0, publicUrl },
    auth: { issuer: issuer.issuer, jwks: issuer.jwks, requiredScopes: ['mcp'] },
    tokens: { signer: { kind: 'kms', keyId: 'alias/bench-signing' } },
    upstreams: [{ name: 'bench', url: upstreamUrl }],
    enforcement: {
      // Set by the benchmark, as the image sets it: a bundle has no source tree to find it in.
      authorization: { policyDir: process.env.MCP_GATEWAY_POLICY_DIR },
      pinning: { mode: 'report' },
      // One client hammering one tool is what a load generator does: rate limits and the
      // per-request risk weight would (rightly) stop it, and the benchmark measures cost, not policy.
      guardrails: { rateLimits: { perSubject: { capacity: 1e9, refillPerSecond: 1e9 }, perTool: { capacity: 1e9, refillPerSecond: 1e9 } } },
      risk: { weights: { request: 0 } },
      audit: {
        sink: sinkType === 'stdout' ? { type: 'stdout' } : { type: 'file', path: join(mkdtempSync(join(tmpdir(), 'gw-bench-')), 'audit.jsonl') },
        encryption: { kmsKeyId: 'alias/bench-audit' },
      },
    },
  });
  const gateway = await Gateway.create({ config, kms: kms.client, log: silentLogger });
  const { port } = await gateway.listen();
  const token = await issuer.issue({ subject: 'bench', audience: publicUrl, scopes: ['mcp', 'mcp:tools', 'mcp:resources', 'mcp:prompts'] });
  process.send?.({ ready: true, url: `http://127.0.0.1:${port}/mcp`, token, node: process.version });
  process.on('message', (message: { stats?: boolean }) => {
    if (message.stats === true) process.send?.({ rss: process.memoryUsage().rss, cpuMicros: cpuMicros(), kmsCalls: kms.calls(), audited: gateway.metrics.total('mcp_gateway_requests_total') });
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
})();

/** CPU time (user + system) this process used so far, in microseconds: robust to a noisy shared machine. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
