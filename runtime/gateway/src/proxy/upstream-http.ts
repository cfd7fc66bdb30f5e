import { StringDecoder } from 'node:string_decoder';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Dispatcher, Pool } from 'undici';
import { BodyReader, bodyReader, MAX_UPSTREAM_MESSAGE_CHARS } from './upstream-body';

/**
 * A connection pool for one upstream, with undici (the engine of Node's `fetch`) driven through
 * its dispatch API: the proxy gets the head and the body's bytes as callbacks, without a request,
 * response or stream object per exchange, which node:http's Agent and the SDK's `fetch`-based
 * transport both cost. Connections are kept alive, so a proxied call reuses a warm one instead of
 * paying a TCP (and TLS) handshake; undici checks an idle connection for a pending close before
 * reusing it and closes it before the upstream's `Keep-Alive: timeout` hint runs out. Undici's
 * own header and body timeouts are off: the proxy bounds every exchange with its own timers, and
 * a standalone stream may rightly stay quiet for long.
 */
export function upstreamPool(url: URL): Dispatcher {
  return new Pool(url.origin, { headersTimeout: 0, bodyTimeout: 0 });
}

/** Where and how to send one upstream HTTP request. */
export interface UpstreamHttpRequest {
  readonly url: URL;
  readonly pool: Dispatcher;
  readonly method: 'POST' | 'GET' | 'DELETE';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** Status and headers of an upstream response. */
export interface UpstreamHead {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** An upstream HTTP exchange in flight. */
export interface UpstreamHttpCall {
  /** The response head; rejects when the request fails before it. */
  readonly head: Promise<UpstreamHead>;
  /**
   * Reads the body's JSON-RPC messages as they arrive (see {@link bodyReader}). Resolves when the
   * body ends; rejects when the stream breaks, a message exceeds {@link MAX_UPSTREAM_MESSAGE_CHARS}
   * or the content type is neither JSON nor SSE (the connection is then cut). Call once, after `head`.
   */
  readMessages(onMessage: (message: JSONRPCMessage) => void, onInvalid?: (problem: string) => void): Promise<void>;
  /** Lets the body go unread; the connection returns to the pool when the body ends. */
  discard(): void;
  /** Cuts the exchange; its connection is closed, not pooled. */
  abort(): void;
}

/** The reason a request was cut by {@link UpstreamHttpCall.abort}. */
export class AbortedError extends Error {
  constructor() {
    super('request aborted');
    this.name = 'AbortError';
  }
}

/**
 * Sends one request on the upstream's pool. Redirects are not followed: a 3xx is an upstream
 * error, never a new destination.
 */
export function sendUpstream(request: UpstreamHttpRequest): UpstreamHttpCall {
  return new HttpExchange(request);
}

/** Errors of a connection that closed or broke under a request. */
const CONNECTION_LOST = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

type Settle<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

/** One exchange: undici's dispatch handler and the proxy's view of it. */
class HttpExchange implements Dispatcher.DispatchHandler, UpstreamHttpCall {
  readonly head: Promise<UpstreamHead>;
  private settleHead!: Settle<UpstreamHead>;
  private controller: Dispatcher.DispatchController | undefined;
  private headArrived = false;
  private contentType: string | string[] | undefined;
  private abortedWith: AbortedError | undefined;
  private retried = false;
  private readonly decoder = new StringDecoder('utf8');
  /** Text that arrived before the body had a reader (the head resolves a microtask later). */
  private early: string[] = [];
  private earlyChars = 0;
  private reader: BodyReader | 'discard' | undefined;
  private settleBody: Settle<void> | undefined;
  /** How the body ended, once it did: `null` complete, or the error that broke it (first wins). */
  private ending: Error | null | undefined;

  constructor(private readonly request: UpstreamHttpRequest) {
    this.head = new Promise<UpstreamHead>((resolve, reject) => { this.settleHead = { resolve, reject }; });
    this.head.catch(() => undefined);
    this.dispatch();
  }

  readMessages(onMessage: (message: JSONRPCMessage) => void, onInvalid: (problem: string) => void = () => undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let reader: BodyReader;
      try {
        reader = bodyReader(this.contentType, onMessage, onInvalid);
      } catch (error) {
        reject(error as Error);
        this.cut(error as Error);
        return;
      }
      this.reader = reader;
      this.settleBody = { resolve, reject };
      for (const text of this.early.splice(0)) this.take(text);
      this.settle();
    });
  }

  discard(): void {
    this.reader = 'discard';
    this.early = [];
  }

  abort(): void {
    this.abortedWith ??= new AbortedError();
    // Before undici started the request there is no controller yet: fail now, cut it when it starts.
    if (this.controller) this.controller.abort(this.abortedWith);
    else this.failed(this.abortedWith);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortedWith) controller.abort(this.abortedWith);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: UpstreamHead['headers']): void {
    if (status < 200) return; // 1xx: informational, the real head follows
    this.headArrived = true;
    this.contentType = headers['content-type'];
    this.settleHead.resolve({ status, headers });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.reader === 'discard' || this.ending !== undefined) return;
    const text = this.decoder.write(chunk);
    if (text.length > 0) this.take(text);
  }

  onResponseEnd(): void {
    if (this.ending !== undefined) return;
    const rest = this.decoder.end();
    if (rest.length > 0) this.take(rest);
    this.endBody(null);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.headArrived) this.failed(error);
    else this.endBody(error);
  }

  private dispatch(): void {
    const { url, pool, method, headers, body } = this.request;
    pool.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method, headers, body: body ?? null }, this);
  }

  private take(text: string): void {
    // After a break nothing more is read; text of a body that ended before it had a reader is.
    if (this.reader === 'discard' || this.ending) return;
    if (this.reader === undefined) {
      this.earlyChars += text.length;
      if (this.earlyChars > MAX_UPSTREAM_MESSAGE_CHARS) this.cut(new Error(`upstream response exceeds ${MAX_UPSTREAM_MESSAGE_CHARS} characters unread`));
      else this.early.push(text);
      return;
    }
    try {
      this.reader.push(text);
    } catch (error) {
      this.cut(error as Error);
    }
  }

  /** The request failed before its head. */
  private failed(error: Error): void {
    // A pooled connection the upstream closed just as it was reused fails before any answer: the
    // request never reached the upstream. Sent again, once, on another connection (as the Node
    // documentation advises for keep-alive clients). A connection without an earlier exchange
    // is not retried, so a request the upstream may have acted on is never sent twice for that.
    if (!this.retried && !this.abortedWith && CONNECTION_LOST.has((error as NodeJS.ErrnoException).code ?? '') && servedBefore(error)) {
      this.retried = true;
      this.controller = undefined;
      this.dispatch();
      return;
    }
    this.settleHead.reject(error);
  }

  /** Stops reading: the body broke a limit or cannot be read; the connection is not reused. */
  private cut(error: Error): void {
    this.endBody(error);
    this.controller?.abort(error);
  }

  private endBody(outcome: Error | null): void {
    if (this.ending !== undefined) return;
    this.ending = outcome;
    this.settle();
  }

  /** Settles `readMessages` once both the reader and the end of the body are there. */
  private settle(): void {
    const settle = this.settleBody;
    if (settle === undefined || this.ending === undefined || typeof this.reader !== 'object') return;
    this.settleBody = undefined;
    if (this.ending !== null) return settle.reject(this.ending);
    try {
      this.reader.end();
      settle.resolve();
    } catch (error) {
      settle.reject(error as Error);
    }
  }
}

/** Undici reports what a lost connection had carried: bytes read before means an earlier answer. */
function servedBefore(error: Error): boolean {
  const socket = (error as { socket?: { bytesRead?: number } }).socket;
  return (socket?.bytesRead ?? 0) > 0;
}
