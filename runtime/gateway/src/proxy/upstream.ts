import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { isJSONRPCErrorResponse, isJSONRPCResultResponse, JSONRPCMessage, JSONRPCRequest, JSONRPCResponse } from '@modelcontextprotocol/sdk/types.js';
import { RequestSigner, UPSTREAM_TOKEN_HEADER } from './sigv4';

/** One configured upstream MCP server, as the proxy sees it. */
export interface Upstream {
  readonly name: string;
  readonly url: URL;
  /** Audience of the tokens minted for it. */
  readonly audience: string;
  /** Deadline for one call without any sign of life from the upstream. */
  readonly timeoutMs: number;
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

const NO_RECONNECT = { maxRetries: 0, initialReconnectionDelay: 1000, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1 };

/**
 * Exchanges with upstreams go through the SDK's Streamable HTTP client transport, one transport
 * per exchange. A transport multiplexes every stream of a session into one `onmessage`; giving
 * each downstream request its own transport keeps the link between an upstream SSE event and
 * the request that caused it, which progress, sampling and elicitation pass-through need.
 */
function openTransport(upstream: Upstream, call: UpstreamCall, observe?: (response: Response) => void): StreamableHTTPClientTransport {
  const sign = upstream.sign;
  const transport = new StreamableHTTPClientTransport(upstream.url, {
    sessionId: call.sessionId,
    requestInit: { headers: { [sign ? UPSTREAM_TOKEN_HEADER : 'authorization']: `Bearer ${call.token}` } },
    reconnectionOptions: NO_RECONNECT,
    fetch: async (url, init) => {
      const headers = sign ? await sign(new URL(url), init ?? {}) : init?.headers;
      const response = await fetch(url, { ...init, headers, signal: anySignal(init?.signal, call.signal) });
      observe?.(response);
      return response;
    },
  });
  if (call.protocolVersion !== undefined) transport.setProtocolVersion(call.protocolVersion);
  return transport;
}

/** Result of {@link requestUpstream}. */
export interface UpstreamReply {
  readonly response: JSONRPCResponse;
  /** Session id the upstream assigned (on `initialize`). */
  readonly sessionId?: string;
}

/**
 * One request in flight at an upstream. {@link UpstreamExchange.start} resolves once the upstream
 * has accepted the request (HTTP status received), so the gateway can still answer the client
 * with the right HTTP status (404 for a session the upstream no longer knows) before it opens
 * the client's SSE stream. Every other message the upstream sends on that request's stream
 * (progress, logging, sampling or elicitation requests) goes to the related-message handler,
 * buffered until one is attached.
 */
export class UpstreamExchange {
  /** Starts `request` at `upstream`; rejects with {@link UpstreamError} if it is not accepted. */
  static async start(upstream: Upstream, request: JSONRPCRequest, call: UpstreamCall): Promise<UpstreamExchange> {
    const exchange = new UpstreamExchange(upstream, request, call);
    try {
      await withDeadline(upstream, exchange.transport.start().then(() => exchange.transport.send(request)));
    } catch (error) {
      exchange.fail(asUpstreamError(upstream, error));
      await exchange.close();
      throw asUpstreamError(upstream, error);
    }
    return exchange;
  }

  /** Resolves with the upstream's response; rejects on timeout, abort or a broken stream. */
  readonly response: Promise<JSONRPCResponse>;
  private readonly transport: StreamableHTTPClientTransport;
  private readonly started = Date.now();
  private readonly buffered: JSONRPCMessage[] = [];
  private related: ((message: JSONRPCMessage) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private answered = false;
  private settle!: { resolve: (r: JSONRPCResponse) => void; reject: (e: Error) => void };
  private readonly onAbort: () => void;

  private constructor(
    private readonly upstream: Upstream,
    private readonly request: JSONRPCRequest,
    private readonly call: UpstreamCall,
  ) {
    this.onAbort = () => this.fail(new UpstreamError(this.upstream.name, 'aborted', 'request aborted'));
    this.response = new Promise<JSONRPCResponse>((resolve, reject) => { this.settle = { resolve, reject }; });
    this.response.catch(() => undefined);
    this.transport = openTransport(upstream, call);
    this.transport.onmessage = (message) => {
      if ((isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) && message.id === request.id) {
        this.answered = true;
        this.finish();
        this.settle.resolve(message);
        return;
      }
      this.arm();
      if (this.related !== undefined) this.related(message);
      else if (this.buffered.length < 1000) this.buffered.push(message);
    };
    this.transport.onerror = (error) => {
      // Stream-level failures (disconnect, no reconnection allowed) end the exchange; a
      // malformed event from the upstream is dropped and the exchange goes on.
      if (/disconnected|reconnect/i.test(error.message)) this.fail(asUpstreamError(upstream, error));
    };
    if (call.signal?.aborted) this.onAbort();
    call.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.arm();
  }

  /** Session id the upstream assigned (on `initialize`) or was called with. */
  get sessionId(): string | undefined {
    return this.transport.sessionId;
  }

  /** Attaches the handler for related messages and replays what arrived before. */
  onRelated(handler: (message: JSONRPCMessage) => void): void {
    this.related = handler;
    for (const message of this.buffered.splice(0)) handler(message);
  }

  /**
   * Stops the exchange. After the response the upstream ends the stream itself and the
   * connection returns to the pool; aborting it then would only cost an AbortError per call.
   */
  async close(): Promise<void> {
    this.finish();
    this.transport.onerror = undefined;
    this.related = () => undefined;
    if (!this.answered) await this.transport.close();
  }

  private arm(): void {
    clearTimeout(this.timer);
    const left = (this.call.maxDurationMs ?? Infinity) - (Date.now() - this.started);
    const wait = Math.max(0, Math.min(this.upstream.timeoutMs, left));
    this.timer = setTimeout(() => this.fail(new UpstreamError(this.upstream.name, 'timeout', `upstream ${this.upstream.name} did not answer ${this.request.method} in time`)), wait);
  }

  private fail(error: UpstreamError): void {
    this.finish();
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

/** Sends a notification or a response (to a server-initiated request) upstream. */
export async function notifyUpstream(upstream: Upstream, message: JSONRPCMessage, call: UpstreamCall): Promise<void> {
  const transport = openTransport(upstream, call);
  await transport.start();
  try {
    await withDeadline(upstream, transport.send(message));
  } catch (error) {
    throw asUpstreamError(upstream, error);
  } finally {
    await transport.close();
  }
}

/** Terminates the upstream session (HTTP DELETE); upstreams that do not support it answer 405. */
export async function terminateUpstream(upstream: Upstream, call: UpstreamCall): Promise<void> {
  if (call.sessionId === undefined) return;
  const transport = openTransport(upstream, call);
  await transport.start();
  try {
    await withDeadline(upstream, transport.terminateSession());
  } catch (error) {
    const failure = asUpstreamError(upstream, error);
    if (!failure.sessionGone) throw failure;
  } finally {
    await transport.close();
  }
}

/** An open standalone (GET) stream from an upstream. */
export interface UpstreamStream {
  close(): Promise<void>;
}

/**
 * Opens the upstream's standalone SSE stream (server-initiated notifications and requests).
 * Resolves once the stream is open or the upstream declined (405, no stream offered).
 */
export async function openUpstreamStream(
  upstream: Upstream, call: UpstreamCall, onMessage: (message: JSONRPCMessage) => void, onEnd: (error: Error) => void,
): Promise<UpstreamStream> {
  let status = 0;
  const transport = openTransport(upstream, call, (response) => { status = response.status; });
  transport.onmessage = onMessage;
  transport.onerror = (error) => {
    if (/disconnected|reconnect/i.test(error.message)) onEnd(error);
  };
  await transport.start();
  try {
    await withDeadline(upstream, transport.resumeStream(''));
  } catch (error) {
    await transport.close();
    throw asUpstreamError(upstream, error);
  }
  if (status !== 200) {
    // The SDK treats 405 (no standalone stream offered) as success; the proxy needs to know.
    await transport.close();
    throw new UpstreamError(upstream.name, 'http', `upstream ${upstream.name} offers no standalone stream`, status);
  }
  return { close: () => transport.close() };
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
  if (error instanceof StreamableHTTPError && typeof error.code === 'number' && error.code > 0) {
    return new UpstreamError(upstream.name, 'http', `upstream ${upstream.name} answered HTTP ${error.code}`, error.code);
  }
  if (error instanceof Error && error.name === 'AbortError') return new UpstreamError(upstream.name, 'aborted', 'request aborted');
  return new UpstreamError(upstream.name, 'network', `upstream ${upstream.name} is unreachable`);
}

function anySignal(...signals: Array<AbortSignal | null | undefined>): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined && s !== null);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return AbortSignal.any(present);
}
