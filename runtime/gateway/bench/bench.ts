import autocannon from 'autocannon';
import { Child, initialize, start, stats } from './processes';

/**
 * Gateway benchmark (prints numbers; not a test). On loopback, one trivial upstream tool
 * (`echo`), autocannon with fixed concurrency, three set-ups:
 *   (a) client → upstream directly
 *   (b) client → gateway with security off (`mode: benchmark`) → upstream
 *   (c) client → gateway with everything on → upstream
 * Reports p50/p99 latency, throughput, RSS of the serving process, and KMS calls per 1,000
 * requests in steady state. Usage: `tsx runtime/gateway/bench/bench.ts [seconds] [connections]`.
 */

const DURATION = Number(process.argv[2] ?? 15);
const CONNECTIONS = Number(process.argv[3] ?? 10);

interface Row { name: string; p50: number; p99: number; rps: number; rssMb: number; kmsPer1000: number; errors: number }

async function measure(name: string, target: Child, url: string, tool: string, token?: string): Promise<Row> {
  const headers = await initialize(url, token);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { message: 'hello' } } });
  await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: 3 });
  const before = await stats(target);
  const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: DURATION });
  const after = await stats(target);
  return {
    name,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
    rssMb: Math.round(after.rss / 1e5) / 10,
    kmsPer1000: Math.round(((after.kmsCalls - before.kmsCalls) / result.requests.total) * 1000 * 100) / 100,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const upstream = await start('upstream-process.ts');
  const rows: Row[] = [];
  rows.push(await measure('(a) direct to upstream', upstream, upstream.ready.url, 'echo'));
  for (const [name, mode] of [['(b) gateway, security off', 'benchmark'], ['(c) gateway, everything on', 'full']]) {
    const gateway = await start('gateway-process.ts', [mode, upstream.ready.url]);
    rows.push(await measure(name, gateway, gateway.ready.url, 'bench__echo', gateway.ready.token));
    gateway.process.kill();
  }
  upstream.process.kill();
  const [a, b, c] = rows;
  process.stdout.write(`\nGateway benchmark: ${DURATION} s per run, ${CONNECTIONS} connections, loopback, Node ${process.version}\n\n`);
  process.stdout.write('| set-up | p50 ms | p99 ms | req/s | RSS MB | KMS calls / 1,000 req | errors |\n|---|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.name} | ${r.p50} | ${r.p99} | ${r.rps} | ${r.rssMb} | ${r.kmsPer1000} | ${r.errors} |\n`);
  process.stdout.write(`\n(c)/(b) throughput: ${(c.rps / b.rps).toFixed(3)} (target >= 0.90)\n`);
  process.stdout.write(`p50 added by (c) over (a): ${(c.p50 - a.p50).toFixed(2)} ms (target <= 0.5 ms)\n`);
  process.stdout.write(`KMS calls per 1,000 requests in (c): ${c.kmsPer1000} (target <= 1)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
