import * as http from 'node:http';

/** Latency percentiles of sequential requests, in milliseconds with microsecond resolution. */
export interface LatencySample {
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly failures: number;
}

/**
 * Sends `count` requests one after another over a single keep-alive connection and times each
 * with the high-resolution clock. With one request in flight there is no queueing, so the
 * difference between two set-ups is the work of the hop, not how busy the machine is; and
 * autocannon's histogram has whole-millisecond resolution, too coarse for a sub-millisecond
 * budget. The response body is read to its end (an SSE answer ends with the response).
 */
export async function sequentialLatency(url: string, headers: Record<string, string>, body: string, count: number): Promise<LatencySample> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  const payload = Buffer.from(body);
  const once = () => new Promise<{ ms: number; ok: boolean }>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request({
      agent,
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: { ...headers, 'content-length': String(payload.length) },
    }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ok: res.statusCode === 200 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
  const times: number[] = [];
  let failures = 0;
  try {
    for (let i = 0; i < count; i++) {
      const { ms, ok } = await once();
      times.push(ms);
      if (!ok) failures++;
    }
  } finally {
    agent.destroy();
  }
  times.sort((x, y) => x - y);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1000) / 1000;
  return { p50: at(0.5), p99: at(0.99), requests: count, failures };
}
