import autocannon from 'autocannon';
import { Child, initialize, start, stats } from './processes';

/**
 * Gateway benchmark (prints numbers; not a test). On loopback, one trivial upstream tool
 * (`echo`), autocannon with fixed concurrency, three set-ups:
 *   (a) client → upstream directly
 *   (b) client → gateway with security off (`mode: benchmark`) → upstream
 *   (c) client → gateway with everything on → upstream
 * Reports p50/p99 latency, throughput, RSS of the serving process, and KMS calls per 1,000
 * requests in steady state. The set-ups run in alternating rounds and the medians are reported.
 * Usage: `tsx runtime/gateway/bench/bench.ts [seconds] [connections] [rounds]`.
 */

const DURATION = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 3);

interface Row { name: string; p50: number; p99: number; rps: number; cpuMsPerRequest: number; rssMb: number; kmsPer1000: number; errors: number }

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
    cpuMsPerRequest: Math.round(((after.cpuMicros - before.cpuMicros) / result.requests.total) * 10) / 10000,
    rssMb: Math.round(after.rss / 1e5) / 10,
    kmsPer1000: Math.round(((after.kmsCalls - before.kmsCalls) / result.requests.total) * 1000 * 100) / 100,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/** Median of the rounds, per column: shared machines are noisy, alternating rounds spread the noise. */
function median(rows: Row[]): Row {
  const mid = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return {
    name: rows[0].name,
    p50: mid(rows.map((r) => r.p50)),
    p99: mid(rows.map((r) => r.p99)),
    rps: mid(rows.map((r) => r.rps)),
    cpuMsPerRequest: mid(rows.map((r) => r.cpuMsPerRequest)),
    rssMb: Math.max(...rows.map((r) => r.rssMb)),
    kmsPer1000: Math.max(...rows.map((r) => r.kmsPer1000)),
    errors: rows.reduce((sum, r) => sum + r.errors, 0),
  };
}

async function main(): Promise<void> {
  const upstream = await start('upstream-process.ts');
  const open = await start('gateway-process.ts', ['benchmark', upstream.ready.url]);
  const full = await start('gateway-process.ts', ['full', upstream.ready.url]);
  const setups = [
    { name: '(a) direct to upstream', child: upstream, url: upstream.ready.url, tool: 'echo', token: undefined },
    { name: '(b) gateway, security off', child: open, url: open.ready.url, tool: 'bench__echo', token: open.ready.token },
    { name: '(c) gateway, everything on', child: full, url: full.ready.url, tool: 'bench__echo', token: full.ready.token },
  ];
  const rounds: Row[][] = setups.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, setup] of setups.entries()) rounds[i].push(await measure(setup.name, setup.child, setup.url, setup.tool, setup.token));
  }
  for (const child of [open, full, upstream]) child.process.kill();
  const rows = rounds.map(median);
  const [a, b, c] = rows;
  process.stdout.write(`\nGateway benchmark: ${ROUNDS} alternating rounds of ${DURATION} s per set-up, ${CONNECTIONS} connections, loopback, Node ${process.version}; medians\n\n`);
  process.stdout.write('| set-up | p50 ms | p99 ms | req/s | CPU ms / req (serving process) | RSS MB (max) | KMS calls / 1,000 req (max) | errors |\n|---|---|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.name} | ${r.p50} | ${r.p99} | ${r.rps} | ${r.cpuMsPerRequest} | ${r.rssMb} | ${r.kmsPer1000} | ${r.errors} |\n`);
  process.stdout.write(`\nper round req/s: ${rounds.map((rs) => rs.map((r) => r.rps).join(' / ')).join(' | ')}\n`);
  process.stdout.write(`(c)/(b) throughput: ${(c.rps / b.rps).toFixed(3)} (target >= 0.90); by CPU per request: ${(b.cpuMsPerRequest / c.cpuMsPerRequest).toFixed(3)}\n`);
  process.stdout.write(`p50 added by (c) over (a): ${(c.p50 - a.p50).toFixed(2)} ms (target <= 0.5 ms)\n`);
  process.stdout.write(`KMS calls per 1,000 requests in (c): ${c.kmsPer1000} (target <= 1)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
