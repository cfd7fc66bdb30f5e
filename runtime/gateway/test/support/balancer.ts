import * as http from 'node:http';
import { AddressInfo } from 'node:net';

/** A round-robin HTTP balancer on loopback that streams requests and responses (SSE included). */
export interface Balancer {
  readonly url: string;
  readonly port: number;
  setBackends(ports: number[]): void;
  close(): Promise<void>;
}

/**
 * Sends each request to the next backend in turn, skipping backends that refuse connections
 * (a replica being restarted), the way a load balancer's health checks would. Host is kept,
 * as an ALB keeps it.
 */
export async function startBalancer(): Promise<Balancer> {
  let backends: number[] = [];
  let next = 0;
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, attempt: number) => {
    const port = backends[next++ % backends.length];
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (attempt < backends.length) forward(req, res, body, attempt + 1);
      else if (!res.headersSent) res.writeHead(502).end();
    });
    res.on('close', () => upstream.destroy());
    upstream.end(body);
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setBackends: (ports) => { backends = ports; },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
