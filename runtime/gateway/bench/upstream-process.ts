import { startSampleUpstream } from '../src/dev/sample-upstream';

/** Benchmark child: the sample upstream alone, so its memory and CPU are measured apart. */
void (async () => {
  const upstream = await startSampleUpstream({ host: '127.0.0.1' });
  process.send?.({ ready: true, url: upstream.url, node: process.version });
  process.on('message', (message: { stats?: boolean }) => {
    if (message.stats === true) process.send?.({ rss: process.memoryUsage().rss, cpuMicros: cpuMicros(), kmsCalls: 0 });
  });
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => process.exit(0));
})();

/** CPU time (user + system) this process used so far, in microseconds: robust to a noisy shared machine. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
