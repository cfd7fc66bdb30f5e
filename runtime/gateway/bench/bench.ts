import autocannon from 'autocannon';
import { sequentialLatency } from './latency';
import { Child, initialize, start, stats } from './processes';

/**
 * Gateway benchmark (prints numbers; not a test). On loopback, one trivial upstream tool
 * (`echo`), autocannon with fixed concurrency, three set-ups:
 *   (a) client → upstream directly
 *   (b) client → gateway with security off (`mode: benchmark`) → upstream
 *   (c) client → gateway with everything on → upstream
 * Each round measures latency twice: with one request in flight (sequential, microsecond timer:
 * the cost of the hop without queueing) and under load (autocannon, `connections` in flight:
 * throughput, and latency that includes waiting for a busy CPU). Also reports CPU time per
 * request of the serving process (the stable figure on a shared machine), its RSS, and KMS calls
 * per 1,000 requests in steady state. The set-ups run in alternating rounds; medians are reported.
 * Usage: `tsx runtime/gateway/bench/bench.ts [seconds] [connections] [rounds] [sequential requests]`.
 */

const DURATION = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 3);
const SEQUENTIAL = Number(process.argv[5] ?? 2000);

interface Row {
  name: string;
  /** One request in flight. */
  p50: number;
  p99: number;
  cpuMsPerRequest1: number;
  /** `CONNECTIONS` in flight. */
  p50Load: number;
  p99Load: number;
  rps: number;
  cpuMsPerRequest: number;
  rssMb: number;
  kmsPer1000: number;
  errors: number;
}

const cpuMsPer = (before: { cpuMicros: number }, after: { cpuMicros: number }, requests: number) =>
  Math.round(((after.cpuMicros - before.cpuMicros) / requests) * 10) / 10000;

async function measure(name: string, target: Child, url: string, tool: string, token?: string): Promise<Row> {
  const headers = await initialize(url, token);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { message: 'hello' } } });
  await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: 3 });
  const start1 = await stats(target);
  const sequential = await sequentialLatency(url, headers, body, SEQUENTIAL);
  const before = await stats(target);
  const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: DURATION });
  const after = await stats(target);
  return {
    name,
    p50: sequential.p50,
    p99: sequential.p99,
    cpuMsPerRequest1: cpuMsPer(start1, before, sequential.requests),
    p50Load: result.latency.p50,
    p99Load: result.latency.p99,
    rps: Math.round(result.requests.average),
    cpuMsPerRequest: cpuMsPer(before, after, result.requests.total),
    rssMb: Math.round(after.rss / 1e5) / 10,
    kmsPer1000: Math.round(((after.kmsCalls - start1.kmsCalls) / (result.requests.total + sequential.requests)) * 1000 * 100) / 100,
    errors: result.non2xx + result.errors + result.timeouts + sequential.failures,
  };
}

/** The middle value (the upper one of an even count). */
function midpoint(values: number[]): number {
  return [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
}

/** Median of the rounds, per column: shared machines are noisy, alternating rounds spread the noise. */
function median(rows: Row[]): Row {
  const mid = midpoint;
  return {
    name: rows[0].name,
    p50: mid(rows.map((r) => r.p50)),
    p99: mid(rows.map((r) => r.p99)),
    cpuMsPerRequest1: mid(rows.map((r) => r.cpuMsPerRequest1)),
    p50Load: mid(rows.map((r) => r.p50Load)),
    p99Load: mid(rows.map((r) => r.p99Load)),
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
  process.stdout.write(`\nGateway benchmark: ${ROUNDS} alternating rounds per set-up of ${SEQUENTIAL} sequential requests, then ${DURATION} s at ${CONNECTIONS} connections; loopback; children bundled as the image bundles them, on Node ${upstream.ready.node}; medians\n\n`);
  process.stdout.write(`| set-up | p50 ms (1 in flight) | p99 ms (1 in flight) | CPU ms / req (1 in flight) | p50 ms (${CONNECTIONS} in flight) | p99 ms (${CONNECTIONS} in flight) | req/s | CPU ms / req (${CONNECTIONS} in flight) | RSS MB (max) | KMS calls / 1,000 req (max) | errors |\n`);
  process.stdout.write('|---|---|---|---|---|---|---|---|---|---|---|\n');
  for (const r of rows) {
    process.stdout.write(`| ${r.name} | ${r.p50} | ${r.p99} | ${r.cpuMsPerRequest1} | ${r.p50Load} | ${r.p99Load} | ${r.rps} | ${r.cpuMsPerRequest} | ${r.rssMb} | ${r.kmsPer1000} | ${r.errors} |\n`);
  }
  process.stdout.write(`\nper round req/s: ${rounds.map((rs) => rs.map((r) => r.rps).join(' / ')).join(' | ')}\n`);
  process.stdout.write(`per round p50 ms (1 in flight): ${rounds.map((rs) => rs.map((r) => r.p50).join(' / ')).join(' | ')}\n`);
  // Paired figures: the set-ups of one round ran seconds apart, so a machine that speeds up or
  // slows down between rounds moves both sides of a round's difference alike.
  const paired = (f: (round: number) => number) => midpoint(Array.from({ length: ROUNDS }, (_, i) => f(i)));
  const [ra, rb, rc] = rounds;
  process.stdout.write(`(c)/(b) throughput: ${(c.rps / b.rps).toFixed(3)} (target >= 0.90); median of the rounds' ratios ${paired((i) => rc[i].rps / rb[i].rps).toFixed(3)}; by CPU per request: ${(b.cpuMsPerRequest / c.cpuMsPerRequest).toFixed(3)}\n`);
  process.stdout.write(`p50 added by (c) over (a), 1 in flight: ${(c.p50 - a.p50).toFixed(3)} ms (target <= 0.5 ms); median of the rounds' differences ${paired((i) => rc[i].p50 - ra[i].p50).toFixed(3)} ms; ${CONNECTIONS} in flight: ${(c.p50Load - a.p50Load).toFixed(0)} ms\n`);
  process.stdout.write(`KMS calls per 1,000 requests in (c): ${c.kmsPer1000} (target <= 1)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
