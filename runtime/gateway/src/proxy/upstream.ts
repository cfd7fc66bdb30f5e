import type { JSONRPCMessage, JSONRPCRequest, JSONRPCResponse } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatcher } from 'undici';
import { RequestSigner, UPSTREAM_TOKEN_HEADER } from './sigv4';
import { mediaType } from './upstream-body';
import { AbortedError, sendUpstream, UpstreamHttpCall } from './upstream-http';
import { isResponse } from '../transport/jsonrpc-message';

/** One configured upstream MCP server, as the proxy sees it. */
export interface Upstream {
  readonly name: string;
  readonly url: URL;
  /** Audience of the tokens minted for it. */
  readonly audience: string;
  /** Deadline for one call without any sign of life from the upstream. */
  readonly timeoutMs: number;
  /** Keep-alive connection pool (see `upstreamPool`). */
  readonly pool: Dispatcher;
  /**
   * Signs each request with SigV4 (VPC Lattice services with `AWS_IAM` auth). The minted token
   * then travels in `x-mcp-upstream-authorization`, because `Authorization` holds the signature.
   */
  readonly sign?: RequestSigner;
}

/** Session coordinates and credentials for one exchange with an upstream. */
export interface UpstreamCall {
  /** Minted token for this upstream (never the client's token). */
  readonly token: string;
  readonly sessionId?: string;
  readonly protocolVersion?: string;
  /** Aborts the exchange (client went away, gateway shutting down). */
  readonly signal?: AbortSignal;
  /** Upper bound on the whole exchange, even while the upstream keeps sending progress. */
  readonly maxDurationMs?: number;
}

/** Why an upstream exchange failed; `status` is the upstream's HTTP status when it answered. */
export class UpstreamError extends Error {
  constructor(readonly upstream: string, readonly reason: 'timeout' | 'http' | 'network' | 'aborted', message: string, readonly status?: number) {
    super(message);
    this.name = 'UpstreamError';
  }

  /** The upstream no longer knows the session (terminated, expired or restarted). */
  get sessionGone(): boolean {
    return this.reason === 'http' && this.status === 404;
  }
}

/** How long an answered exchange may take to end its stream before its socket is cut. */
const DRAIN_MS = 5000;

/** Result of {@link requestUpstream}. */
export interface UpstreamReply {
  readonly response: JSONRPCResponse;
  /** Session id the upstream assigned (on `initialize`). */
  readonly sessionId?: string;
}

/**
 * One request in flight at an upstream: one HTTP POST whose answer (JSON, or an SSE stream) is
 * read to the request's response. {@link UpstreamExchange.start} resolves once the upstream has
 * accepted the request (HTTP status received), so the gateway can still answer the client with
 * the right HTTP status (404 for a session the upstream no longer knows) before it commits to
 * its own answer. Every other message on that request's stream (progress, logging, sampling or
 * elicitation requests) goes to the related-message handler, buffered until one is attached, so
 * each upstream event stays tied to the downstream request that caused it.
 */
export class UpstreamExchange {
  /** Starts `request` at `upstream`; rejects with {@link UpstreamError} if it is not accepted. */
  static async start(upstream: Upstream, request: JSONRPCRequest, call: UpstreamCall): Promise<UpstreamExchange> {
    const exchange = new UpstreamExchange(upstream, request, call);
    try {
      // The exchange's own timer bounds the wait for the response head.
      await exchange.open();
    } catch (error) {
      const failure = exchange.failure ?? asUpstreamError(upstream, error);
      exchange.fail(failure);
      await exchange.close();
      throw failure;
    }
    return exchange;
  }

  /** Resolves with the upstream's response; rejects on timeout, abort or a broken stream. */
  readonly response: Promise<JSONRPCResponse>;
  /** The upstream answered with an SSE stream, which may carry related messages before the response. */
  streaming = false;
  private http: UpstreamHttpCall | undefined;
  private assignedSession: string | undefined;
  private readonly started = Date.now();
  private readonly buffered: JSONRPCMessage[] = [];
  private related: ((message: JSONRPCMessage) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: UpstreamError | undefined;
  private answered = false;
  private ended = false;
  private closed = false;
  private settle!: { resolve: (r: JSONRPCResponse) => void; reject: (e: Error) => void };
  private readonly onAbort: () => void;

  private constructor(private readonly upstream: Upstream, private readonly request: JSONRPCRequest, private readonly call: UpstreamCall) {
    this.onAbort = () => {
      this.fail(new UpstreamError(this.upstream.name, 'aborted', 'request aborted'));
      this.http?.abort();
    };
    this.response = new Promise<JSONRPCResponse>((resolve, reject) => { this.settle = { resolve, reject }; });
    this.response.catch(() => undefined);
    if (call.signal?.aborted) this.onAbort();
    call.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.arm();
  }

  /** Session id the upstream assigned (on `initialize`) or was called with. */
  get sessionId(): string | undefined {
    return this.assignedSession ?? this.call.sessionId;
  }

  /** Stops the exchange because the client cancelled it: the response rejects as aborted. */
  abort(): void {
    this.onAbort();
  }

  /** Attaches the handler for related messages and replays what arrived before. */
  onRelated(handler: (message: JSONRPCMessage) => void): void {
    this.related = handler;
    for (const message of this.buffered.splice(0)) handler(message);
  }

  /**
   * Stops the exchange. An answered exchange is left to end its stream (the upstream ends it
   * right after the response) so the connection returns to the pool; one that does not end
   * within {@link DRAIN_MS}, or an unanswered one, is cut. The drain timer goes as soon as the
   * stream ends: a timer left to run would keep every exchange of the last seconds in memory.
   */
  async close(): Promise<void> {
    this.finish();
    this.closed = true;
    this.related = () => undefined;
    if (!this.answered) this.http?.abort();
    else if (!this.ended) this.timer = setTimeout(() => this.http?.abort(), DRAIN_MS);
  }

  private async open(): Promise<void> {
    if (this.closed || this.call.signal?.aborted) throw new AbortedError();
    this.http = await send(this.upstream, this.call, 'POST', 'application/json, text/event-stream', JSON.stringify(this.request));
    if (this.closed) this.http.abort();
    const head = await this.http.head;
    const session = head.headers['mcp-session-id'];
    if (typeof session === 'string' && session.length > 0) this.assignedSession = session;
    const status = head.status;
    if (status < 200 || status >= 300 || status === 202) {
      this.http.discard();
      throw status === 202
        ? new UpstreamError(this.upstream.name, 'network', `upstream ${this.upstream.name} accepted ${this.request.method} without answering it`)
        : httpError(this.upstream, status);
    }
    this.streaming = mediaType(head.headers['content-type']) === 'text/event-stream';
    this.http.readMessages((message) => this.receive(message)).then(() => {
      this.streamEnded();
      if (!this.answered) this.fail(new UpstreamError(this.upstream.name, 'network', `upstream ${this.upstream.name} ended the stream before answering ${this.request.method}`));
    }, (error: unknown) => {
      this.streamEnded();
      if (!this.answered) this.fail(asUpstreamError(this.upstream, error));
    });
  }

  /** The body ended: the connection is back in the pool, nothing holds the exchange any more. */
  private streamEnded(): void {
    this.ended = true;
    if (this.closed) clearTimeout(this.timer);
  }

  private receive(message: JSONRPCMessage): void {
    if (this.answered) return;
    if (isResponse(message) && message.id === this.request.id) {
      this.answered = true;
      this.finish();
      this.settle.resolve(message);
      return;
    }
    this.arm();
    if (this.related !== undefined) this.related(message);
    else if (this.buffered.length < 1000) this.buffered.push(message);
  }

  private arm(): void {
    clearTimeout(this.timer);
    const left = (this.call.maxDurationMs ?? Infinity) - (Date.now() - this.started);
    const wait = Math.max(0, Math.min(this.upstream.timeoutMs, left));
    this.timer = setTimeout(() => {
      this.fail(new UpstreamError(this.upstream.name, 'timeout', `upstream ${this.upstream.name} did not answer ${this.request.method} in time`));
      this.http?.abort();
    }, wait);
  }

  private fail(error: UpstreamError): void {
    this.finish();
    this.failure ??= error;
    this.settle.reject(error);
  }

  private finish(): void {
    clearTimeout(this.timer);
    this.call.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** Sends one request upstream and waits for its response; related messages go to `onRelated`. */
export async function requestUpstream(
  upstream: Upstream, request: JSONRPCRequest, call: UpstreamCall, onRelated: (message: JSONRPCMessage) => void = () => undefined,
): Promise<UpstreamReply> {
  const exchange = await UpstreamExchange.start(upstream, request, call);
  try {
    exchange.onRelated(onRelated);
    return { response: await exchange.response, sessionId: exchange.sessionId };
  } finally {
    await exchange.close();
  }
}

/** Sends a notification or a response (to a server-initiated request) upstream; resolves once it was accepted. */
export async function notifyUpstream(upstream: Upstream, message: JSONRPCMessage, call: UpstreamCall): Promise<void> {
  const status = await exchangeStatus(upstream, call, 'POST', 'application/json, text/event-stream', JSON.stringify(message));
  if (status < 200 || status >= 300) throw httpError(upstream, status);
}

/** Terminates the upstream session (HTTP DELETE); upstreams that do not support it answer 405. */
export async function terminateUpstream(upstream: Upstream, call: UpstreamCall): Promise<void> {
  if (call.sessionId === undefined) return;
  const status = await exchangeStatus(upstream, call, 'DELETE', 'application/json, text/event-stream');
  const failure = status === 405 || (status >= 200 && status < 300) ? undefined : httpError(upstream, status);
  if (failure !== undefined && !failure.sessionGone) throw failure;
}

/** An open standalone (GET) stream from an upstream. */
export interface UpstreamStream {
  close(): Promise<void>;
}

/**
 * Opens the upstream's standalone SSE stream (server-initiated notifications and requests).
 * Resolves once the stream is open; rejects with status 405 when the upstream offers none.
 * `onEnd` fires once when the upstream ends or breaks the stream, not after `close`.
 */
export async function openUpstreamStream(
  upstream: Upstream, call: UpstreamCall, onMessage: (message: JSONRPCMessage) => void, onEnd: (error: Error) => void,
): Promise<UpstreamStream> {
  let closed = false;
  let sent: UpstreamHttpCall | undefined;
  const close = async () => {
    closed = true;
    sent?.abort();
  };
  try {
    sent = await send(upstream, call, 'GET', 'text/event-stream');
    const head = await withDeadline(upstream, sent.head);
    if (head.status !== 200) {
      sent.discard();
      throw head.status === 405
        ? new UpstreamError(upstream.name, 'http', `upstream ${upstream.name} offers no standalone stream`, 405)
        : httpError(upstream, head.status);
    }
    void sent.readMessages(onMessage).then(() => new Error('stream ended'), (error: Error) => error).then((error) => {
      if (!closed) onEnd(error);
    });
  } catch (error) {
    await close();
    throw asUpstreamError(upstream, error);
  }
  return { close };
}

/** Sends a request whose answer carries no message the proxy needs; resolves with its status. */
async function exchangeStatus(upstream: Upstream, call: UpstreamCall, method: 'POST' | 'DELETE', accept: string, body?: string): Promise<number> {
  const sent = await send(upstream, call, method, accept, body);
  const stopOnAbort = () => sent.abort();
  call.signal?.addEventListener('abort', stopOnAbort, { once: true });
  try {
    const head = await withDeadline(upstream, sent.head);
    sent.discard();
    return head.status;
  } catch (error) {
    sent.abort();
    throw asUpstreamError(upstream, error);
  } finally {
    call.signal?.removeEventListener('abort', stopOnAbort);
  }
}

async function send(upstream: Upstream, call: UpstreamCall, method: 'POST' | 'GET' | 'DELETE', accept: string, body?: string): Promise<UpstreamHttpCall> {
  let headers: Record<string, string> = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  headers[upstream.sign ? UPSTREAM_TOKEN_HEADER : 'authorization'] = `Bearer ${call.token}`;
  if (call.sessionId !== undefined) headers['mcp-session-id'] = call.sessionId;
  if (call.protocolVersion !== undefined) headers['mcp-protocol-version'] = call.protocolVersion;
  if (upstream.sign) headers = await upstream.sign(upstream.url, { method, headers, body });
  return sendUpstream({ url: upstream.url, pool: upstream.pool, method, headers, body });
}

function httpError(upstream: Upstream, status: number): UpstreamError {
  return new UpstreamError(upstream.name, 'http', `upstream ${upstream.name} answered HTTP ${status}`, status);
}

function withDeadline<T>(upstream: Upstream, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UpstreamError(upstream.name, 'timeout', `upstream ${upstream.name} did not answer in time`)), upstream.timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function asUpstreamError(upstream: Upstream, error: unknown): UpstreamError {
  if (error instanceof UpstreamError) return error;
  if (error instanceof Error && error.name === 'AbortError') return new UpstreamError(upstream.name, 'aborted', 'request aborted');
  return new UpstreamError(upstream.name, 'network', `upstream ${upstream.name} is unreachable`);
}
