import * as http from 'node:http';
import * as https from 'node:https';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcProblem } from '../transport/jsonrpc-message';
import { SseParser } from '../transport/sse';

/**
 * Largest JSON body or single SSE event the gateway reads from an upstream (characters). Far
 * above any sane tool result; it only stops a broken or hostile upstream from filling memory.
 */
export const MAX_UPSTREAM_MESSAGE_CHARS = 32 * 1024 * 1024;

/**
 * A connection pool for one upstream: keep-alive, so a proxied call reuses a warm connection
 * instead of paying a TCP (and TLS) handshake, and LIFO, so the warmest socket serves next and
 * surplus sockets idle out. Idle sockets follow the upstream's `Keep-Alive: timeout` hint.
 */
export function upstreamAgent(url: URL): http.Agent {
  const options: http.AgentOptions = { keepAlive: true, scheduling: 'lifo', maxFreeSockets: 64 };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

/** Where and how to send one upstream HTTP request. */
export interface UpstreamHttpRequest {
  readonly url: URL;
  readonly agent: http.Agent;
  readonly method: 'POST' | 'GET' | 'DELETE';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** An upstream HTTP exchange in flight: the response once its head arrives, and a way to cut it. */
export interface UpstreamHttpCall {
  readonly response: Promise<http.IncomingMessage>;
  /** Destroys the request and its socket (the socket does not return to the pool). */
  abort(): void;
}

/**
 * Sends one request with node:http on the upstream's pool. The SDK's client transport goes
 * through `fetch` (WHATWG streams, a Request/Response per call, an SSE parser built of three
 * TransformStreams); for the gateway's one-message-per-request exchanges that machinery cost
 * more CPU than the security checks, so the proxy speaks the Streamable HTTP wire format
 * directly. Redirects are not followed (a 3xx is an upstream error, never a new destination).
 */
export function sendUpstream(request: UpstreamHttpRequest): UpstreamHttpCall {
  const { url } = request;
  const headers: http.OutgoingHttpHeaders = request.headers;
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
  const client = url.protocol === 'https:' ? https : http;
  let current: http.ClientRequest | undefined;
  let aborted = false;
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    const attempt = (retry: boolean): void => {
      const req = client.request({
        agent: request.agent,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
      });
      current = req;
      req.once('response', resolve);
      req.once('error', (error: NodeJS.ErrnoException) => {
        // A pooled connection the upstream closed while it idled fails at once on reuse, before
        // any response: the request never reached the upstream. Sent again, once, on a new
        // connection (as the Node documentation advises for keep-alive agents).
        if (retry && !aborted && req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) attempt(false);
        else reject(error);
      });
      req.end(request.body);
    };
    attempt(true);
  });
  response.catch(() => undefined);
  return {
    response,
    abort: () => {
      aborted = true;
      current?.destroy(new AbortedError());
    },
  };
}

/** The reason a request was cut by {@link UpstreamHttpCall.abort}. */
export class AbortedError extends Error {
  constructor() {
    super('request aborted');
    this.name = 'AbortError';
  }
}

/** The media type of a response without parameters, lower case (`text/event-stream`). */
export function mediaType(res: http.IncomingMessage): string {
  const value = res.headers['content-type'] ?? '';
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Reads the JSON-RPC messages of an upstream response body: one JSON message or a batch
 * (`application/json`), or the `message` events of an SSE stream (`text/event-stream`), passed to
 * `onMessage` as they arrive. Messages that are not valid JSON-RPC go to `onInvalid` and are
 * dropped, as the SDK's transport does. Resolves when the body ends; rejects when the stream
 * breaks, a message exceeds {@link MAX_UPSTREAM_MESSAGE_CHARS}, or the content type is neither.
 */
export function readMessages(
  res: http.IncomingMessage, onMessage: (message: JSONRPCMessage) => void, onInvalid: (problem: string) => void = () => undefined,
): Promise<void> {
  const accept = (value: unknown) => {
    const problem = jsonRpcProblem(value);
    if (problem === undefined) onMessage(value as JSONRPCMessage);
    else onInvalid(problem);
  };
  const type = mediaType(res);
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      res.destroy();
      reject(error);
    };
    res.setEncoding('utf8');
    res.once('error', fail);
    res.once('close', () => {
      if (!res.complete) fail(new Error('upstream response ended early'));
    });
    if (type === 'text/event-stream') {
      const parser = new SseParser((event) => {
        // Events without data are priming events (resumption ids), not messages.
        if (event.event !== 'message' || event.data.length === 0) return;
        const parsed = parse(event.data, onInvalid);
        if (parsed !== NOT_JSON) accept(parsed);
      }, MAX_UPSTREAM_MESSAGE_CHARS);
      res.on('data', (chunk: string) => {
        try {
          parser.push(chunk);
        } catch (error) {
          fail(error as Error);
        }
      });
      res.once('end', resolve);
    } else if (type === 'application/json') {
      const chunks: string[] = [];
      let size = 0;
      res.on('data', (chunk: string) => {
        size += chunk.length;
        if (size > MAX_UPSTREAM_MESSAGE_CHARS) fail(new Error(`upstream response exceeds ${MAX_UPSTREAM_MESSAGE_CHARS} characters`));
        else chunks.push(chunk);
      });
      res.once('end', () => {
        const value = parse(chunks.length === 1 ? chunks[0] : chunks.join(''), onInvalid);
        if (Array.isArray(value)) value.forEach(accept);
        else if (value !== NOT_JSON) accept(value);
        resolve();
      });
    } else {
      fail(new Error(`unexpected content type ${JSON.stringify(res.headers['content-type'] ?? '')}`));
    }
  });
}

/** Reads and discards a body, so a keep-alive socket can serve the next request. */
export function discard(res: http.IncomingMessage): void {
  res.resume();
}

const NOT_JSON = Symbol('not JSON');

function parse(text: string, onInvalid: (problem: string) => void): unknown {
  try {
    return JSON.parse(text);
  } catch {
    onInvalid('not JSON');
    return NOT_JSON;
  }
}
