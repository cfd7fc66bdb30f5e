import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { notifyUpstream, openUpstreamStream, requestUpstream, terminateUpstream, Upstream, UpstreamError, UpstreamExchange } from '../../src/proxy/upstream';
import { upstreamPool } from '../../src/proxy/upstream-http';

/** A scripted upstream: each test decides the raw HTTP answer. */
interface Scripted {
  upstream: Upstream;
  requests: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string }>;
  connections: () => number;
  close(): Promise<void>;
}

async function scripted(answer: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void, timeoutMs = 2000): Promise<Scripted> {
  const requests: Scripted['requests'] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', headers: req.headers, body });
      answer(req, res, body);
    });
  });
  server.on('connection', () => { connections++; });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
  const upstream: Upstream = { name: 'scripted', url, audience: 'urn:scripted', timeoutMs, pool: upstreamPool(url) };
  return {
    upstream,
    requests,
    connections: () => connections,
    close: async () => {
      await upstream.pool.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const CALL = { jsonrpc: '2.0' as const, id: 'c1', method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } } };
const RESULT = { jsonrpc: '2.0', id: 'c1', result: { content: [{ type: 'text', text: 'hi' }] } };
const sse = (...messages: unknown[]) => messages.map((m) => `event: message\ndata: ${JSON.stringify(m)}\n\n`).join('');

describe('upstream exchanges over undici\'s dispatcher (no fetch, no SDK transport)', () => {
  let s: Scripted | undefined;
  afterEach(async () => { await s?.close(); s = undefined; });

  test('sends the minted token, session and protocol headers; reads a JSON answer', async () => {
    s = await scripted((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(RESULT)));
    const reply = await requestUpstream(s.upstream, CALL, { token: 'minted', sessionId: 'up-1', protocolVersion: '2025-11-25' });
    expect(reply.response).toEqual(RESULT);
    expect(s.requests[0].headers).toMatchObject({
      'authorization': 'Bearer minted',
      'mcp-session-id': 'up-1',
      'mcp-protocol-version': '2025-11-25',
      'content-type': 'application/json',
      'accept': 'application/json, text/event-stream',
    });
    expect(JSON.parse(s.requests[0].body)).toEqual(CALL);
  });

  test('reads an SSE answer: related messages first, invalid events dropped, the response last', async () => {
    const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };
    s = await scripted((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'mcp-session-id': 'assigned' });
      res.write('id: prime\ndata: \n\n');
      res.write(sse(progress, { jsonrpc: '1.0', id: 1 }));
      res.write('data: not json\n\n');
      res.end(sse(RESULT));
    });
    const related: unknown[] = [];
    const reply = await requestUpstream(s.upstream, CALL, { token: 't' }, (m) => related.push(m));
    expect(related).toEqual([progress]);
    expect(reply).toEqual({ response: RESULT, sessionId: 'assigned' });
  });

  test('sequential exchanges reuse keep-alive connections', async () => {
    s = await scripted((_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(sse(RESULT)));
    for (let i = 0; i < 10; i++) await requestUpstream(s.upstream, CALL, { token: 't' });
    expect(s.requests).toHaveLength(10);
    // The next call starts as soon as the response message arrives; undici checks a connection
    // that just went idle for a pending close first, so back-to-back calls may use a second one.
    expect(s.connections()).toBeLessThanOrEqual(2);
  });

  test('a pooled connection the upstream closed is replaced once, a fresh connection that fails is not', async () => {
    // GIVEN an upstream that drops a connection without an answer the first time a request comes
    // on one that already served another (as a connection it closed while idle fails on reuse)
    const served = new Map<unknown, number>();
    let dropped = false;
    s = await scripted((req, res) => {
      const before = served.get(req.socket) ?? 0;
      served.set(req.socket, before + 1);
      if (before > 0 && !dropped) {
        dropped = true;
        req.socket.destroy();
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(RESULT));
      }
    });
    await requestUpstream(s.upstream, CALL, { token: 't' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // WHEN the next exchange reuses the pooled connection
    const reply = await requestUpstream(s.upstream, CALL, { token: 't' });
    // THEN it is sent again on a new connection and answered
    expect(dropped).toBe(true);
    expect(reply.response).toEqual(RESULT);
    expect([s.requests.length, s.connections()]).toEqual([3, 2]);

    // GIVEN an upstream that drops every connection
    await s.close();
    s = await scripted((req) => req.socket.destroy());
    // THEN a request on a new connection fails at once, sent only once
    await expect(requestUpstream(s.upstream, CALL, { token: 't' })).rejects.toThrow();
    expect(s.requests).toHaveLength(1);
  });

  test('a finished exchange leaves no timer behind (nothing keeps it in memory)', async () => {
    // The response first, the end of the stream a little later: the exchange is closed before its stream ends.
    s = await scripted((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(sse(RESULT));
      setTimeout(() => res.end(), 5);
    });
    await requestUpstream(s.upstream, CALL, { token: 't' });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = timers();
    for (let i = 0; i < 50; i++) await requestUpstream(s.upstream, CALL, { token: 't' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(timers() - before).toBeLessThan(5);
  });

  test('fails with the upstream status: 404 means the session is gone; a redirect is not followed', async () => {
    s = await scripted((req, res) => {
      if (req.headers['mcp-session-id'] === 'gone') res.writeHead(404).end();
      else res.writeHead(307, { location: 'http://169.254.169.254/latest' }).end();
    });
    const gone = await UpstreamExchange.start(s.upstream, CALL, { token: 't', sessionId: 'gone' }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(UpstreamError);
    expect(gone).toMatchObject({ reason: 'http', status: 404, sessionGone: true });
    await expect(UpstreamExchange.start(s.upstream, CALL, { token: 't' })).rejects.toMatchObject({ reason: 'http', status: 307, message: 'upstream scripted answered HTTP 307' });
    expect(s.requests).toHaveLength(2);
  });

  test('fails when a request is accepted without an answer, or the stream ends before the response', async () => {
    s = await scripted((req, res, body) => {
      if ((JSON.parse(body) as { id: string }).id === 'accepted') res.writeHead(202).end();
      else res.writeHead(200, { 'content-type': 'text/event-stream' }).end(sse({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'x' } }));
    });
    await expect(UpstreamExchange.start(s.upstream, { ...CALL, id: 'accepted' }, { token: 't' })).rejects.toMatchObject({ reason: 'network', message: 'upstream scripted accepted tools/call without answering it' });
    await expect(requestUpstream(s.upstream, CALL, { token: 't' })).rejects.toMatchObject({ reason: 'network', message: 'upstream scripted ended the stream before answering tools/call' });
  });

  test('times out without a sign of life, and aborts on the caller\'s signal', async () => {
    s = await scripted((_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).write(': open\n\n'), 300);
    await expect(requestUpstream(s.upstream, CALL, { token: 't' })).rejects.toMatchObject({ reason: 'timeout' });
    const controller = new AbortController();
    const exchange = await UpstreamExchange.start(s.upstream, CALL, { token: 't', signal: controller.signal });
    controller.abort();
    await expect(exchange.response).rejects.toMatchObject({ reason: 'aborted' });
    await exchange.close();
  });

  test('an answer larger than the limit of one message fails instead of filling memory', async () => {
    s = await scripted((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = 'x'.repeat(1024 * 1024);
      res.write('data: ');
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent < 40 && !res.destroyed) res.once('drain', () => { sent++; more(); });
      };
      more();
    }, 10_000);
    await expect(requestUpstream(s.upstream, CALL, { token: 't' })).rejects.toMatchObject({ reason: 'network' });
  });

  test('notifications need a 2xx; DELETE accepts 405; the standalone stream reports 405 as no stream', async () => {
    s = await scripted((req, res) => {
      if (req.method === 'POST') res.writeHead(202).end();
      else if (req.method === 'DELETE') res.writeHead(405).end();
      else res.writeHead(405).end();
    });
    await expect(notifyUpstream(s.upstream, { jsonrpc: '2.0', method: 'notifications/initialized' }, { token: 't' })).resolves.toBeUndefined();
    await expect(terminateUpstream(s.upstream, { token: 't', sessionId: 'x' })).resolves.toBeUndefined();
    await expect(openUpstreamStream(s.upstream, { token: 't', sessionId: 'x' }, () => undefined, () => undefined)).rejects.toMatchObject({ status: 405 });
    expect(s.requests.map((r) => [r.method, r.headers.accept])).toEqual([
      ['POST', 'application/json, text/event-stream'], ['DELETE', 'application/json, text/event-stream'], ['GET', 'text/event-stream'],
    ]);
  });

  test('the standalone stream delivers messages and reports its end once, not after close', async () => {
    const changed = { jsonrpc: '2.0', method: 'notifications/tools/list_changed' };
    s = await scripted((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(sse(changed));
      setTimeout(() => res.end(), 50);
    });
    const messages: unknown[] = [];
    const ended = new Promise<Error>((resolve) => {
      void openUpstreamStream(s!.upstream, { token: 't' }, (m) => messages.push(m), resolve);
    });
    await expect(ended).resolves.toBeInstanceOf(Error);
    expect(messages).toEqual([changed]);
    const ends: Error[] = [];
    const stream = await openUpstreamStream(s.upstream, { token: 't' }, () => undefined, (e) => ends.push(e));
    await stream.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ends).toEqual([]);
  });
});
