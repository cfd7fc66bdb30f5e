import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** A benchmark child process and what it reported when ready. */
export interface Child { process: ChildProcess; ready: Record<string, string> }
/** What a child reports on request. */
export interface Stats { readonly rss: number; readonly kmsCalls: number; readonly cpuMicros: number }

/**
 * Forks a benchmark child (TypeScript through tsx) and waits for its ready message. The child's
 * stdout is a pipe that this process drains, as a container log driver drains the gateway's
 * stdout: the audit sink writes there, and a pipe with a reader costs what it costs in production.
 */
export function start(script: string, args: string[] = []): Promise<Child> {
  const child = fork(join(__dirname, script), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout?.resume();
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
