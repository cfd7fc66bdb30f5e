import autocannon from 'autocannon';
import { initialize, start, stats } from './processes';

/**
 * Soak: the gateway with everything on under constant load for `minutes` (default 5), RSS
 * sampled every 10 s. Prints the samples and the growth from steady state (30 s in) to the end
 * (target < 10 %). Exits non-zero when the growth reaches 10 % or any request fails, so CI can
 * run it. Usage: `tsx runtime/gateway/bench/soak.ts [minutes] [connections]`.
 */
async function main(): Promise<void> {
  const minutes = Number(process.argv[2] ?? 5);
  const connections = Number(process.argv[3] ?? 10);
  const upstream = await start('upstream-process.ts');
  const gateway = await start('gateway-process.ts', ['full', upstream.ready.url]);
  const url = gateway.ready.url;
  const headers = await initialize(url, gateway.ready.token);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'bench__echo', arguments: { message: 'hello' } } });
  await autocannon({ url, method: 'POST', headers, body, connections, duration: 10 });
  const samples: Array<{ t: number; rssMb: number }> = [];
  const started = Date.now();
  const sample = async () => samples.push({ t: Math.round((Date.now() - started) / 1000), rssMb: Math.round((await stats(gateway)).rss / 1e5) / 10 });
  await sample();
  const timer = setInterval(() => void sample(), 10_000);
  const result = await autocannon({ url, method: 'POST', headers, body, connections, duration: minutes * 60 });
  clearInterval(timer);
  await sample();
  const final = await stats(gateway);
  gateway.process.kill();
  upstream.process.kill();
  // Growth is measured from steady state (30 s into the load), after buffers and caches filled.
  const first = (samples.find((s) => s.t >= 30) ?? samples[0]).rssMb;
  const last = samples[samples.length - 1].rssMb;
  process.stdout.write(`\nSoak: ${minutes} min, ${connections} connections, ${result.requests.total} requests, ${result.non2xx + result.errors} errors\n`);
  process.stdout.write(`RSS samples (s: MB): ${samples.map((s) => `${s.t}: ${s.rssMb}`).join(', ')}\n`);
  process.stdout.write(`RSS growth from 30 s to the end: ${first} MB -> ${last} MB = ${(((last - first) / first) * 100).toFixed(1)} % (target < 10 %)\n`);
  process.stdout.write(`KMS calls during the soak: ${final.kmsCalls} in total since start (${((final.kmsCalls / result.requests.total) * 1000).toFixed(3)} per 1,000 requests)\n`);
  // CI runs the soak: a missed target fails it.
  const growth = (last - first) / first;
  const failures = result.non2xx + result.errors;
  if (growth >= 0.1 || failures > 0) {
    process.stderr.write(`soak failed: RSS growth ${(growth * 100).toFixed(1)} % (limit 10 %), ${failures} failed requests (limit 0)\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
