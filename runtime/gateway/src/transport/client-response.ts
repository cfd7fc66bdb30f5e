import { ServerResponse } from 'node:http';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { SECURITY_HEADERS } from './http-io';
import { isResponse } from './jsonrpc-message';
import { sseMessageEvent } from './sse';

const JSON_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, 'content-type': 'application/json' };
const SSE_HEADERS: Readonly<Record<string, string>> = { ...SECURITY_HEADERS, 'content-type': 'text/event-stream' };

/**
 * The gateway's answer to one POST that carries requests. Streamable HTTP lets the server answer
 * with one JSON body or an SSE stream; the choice is made as late as possible: when the responses
 * to every request are the first things to send, they go out as JSON (one message, or an array
 * for a batch); as soon as anything else comes first (progress, logging, a sampling or
 * elicitation request), the answer becomes an SSE stream that carries it, the responses, and
 * ends after the last response. A client that went away is not written to.
 */
export class ClientResponse {
  private readonly waiting: Set<RequestId>;
  private readonly held: JSONRPCMessage[] = [];
  private streaming = false;
  private done = false;

  constructor(private readonly res: ServerResponse, requestIds: readonly RequestId[], private readonly batch: boolean) {
    this.waiting = new Set(requestIds);
  }

  /** Sends `message` to the client (the related request id is implied: one POST, one answer). */
  send(message: JSONRPCMessage, _relatedRequestId?: RequestId): Promise<void> {
    if (this.done || this.res.destroyed) return Promise.resolve();
    const answers = isResponse(message) && this.waiting.delete(message.id as RequestId);
    if (!this.streaming) {
      if (answers) {
        this.held.push(message);
        if (this.waiting.size === 0) this.finishJson();
        return Promise.resolve();
      }
      this.startStream();
    }
    this.res.write(sseMessageEvent(JSON.stringify(message)));
    if (answers && this.waiting.size === 0) this.finish();
    return Promise.resolve();
  }

  private finishJson(): void {
    this.done = true;
    const body = JSON.stringify(this.batch ? this.held : this.held[0]);
    // With a length, the head and body leave in one write and the client reads a plain body
    // instead of chunked framing.
    this.res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) }).end(body);
  }

  private startStream(): void {
    this.streaming = true;
    this.res.writeHead(200, SSE_HEADERS);
    for (const message of this.held.splice(0)) this.res.write(sseMessageEvent(JSON.stringify(message)));
  }

  private finish(): void {
    this.done = true;
    this.res.end();
  }
}

/**
 * A standalone SSE stream (the client's GET): headers go out at once, so the client knows the
 * stream is open before the first server-initiated message.
 */
export class ClientStream {
  constructor(private readonly res: ServerResponse) {
    res.writeHead(200, SSE_HEADERS);
    res.flushHeaders();
  }

  /** Sends one message as an SSE event. */
  send(message: JSONRPCMessage): void {
    if (!this.res.destroyed && !this.res.writableEnded) this.res.write(sseMessageEvent(JSON.stringify(message)));
  }

  /** Ends the stream (every upstream stream behind it ended). */
  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
