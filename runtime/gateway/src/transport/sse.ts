/** One Server-Sent Event, as dispatched by {@link SseParser}. */
export interface SseEvent {
  /** `event` field; `message` when absent. */
  readonly event: string;
  /** `data` lines joined with `\n`. */
  readonly data: string;
  /** `id` field of this event, when it carried one. */
  readonly id?: string;
}

/** Raised by {@link SseParser.push} when one event grows beyond the limit. */
export class SseEventTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`server-sent event exceeds ${limit} characters`);
    this.name = 'SseEventTooLargeError';
  }
}

/**
 * Incremental `text/event-stream` parser (WHATWG HTML, "Parsing an event stream") for decoded
 * text: lines end with CRLF, LF or CR, possibly split across chunks; `:` starts a comment; a
 * field's value loses one leading space; `data` lines accumulate; a blank line dispatches the
 * event if it has data; an unterminated event at the end of the stream is dropped. `retry` is
 * ignored (the gateway does not reconnect). Unlike a browser it bounds what it buffers: a peer
 * that never ends a line or an event cannot make it hold more than `maxEventChars`.
 */
export class SseParser {
  /** Start of a line that has not ended yet, in pieces (joined once, when the line ends). */
  private pending: string[] = [];
  private pendingChars = 0;
  /** The last chunk ended with CR: a LF starting the next chunk belongs to it. */
  private skipLf = false;
  private data: string[] | undefined;
  private dataChars = 0;
  private event = '';
  private id: string | undefined;
  private first = true;

  constructor(private readonly onEvent: (event: SseEvent) => void, private readonly maxEventChars: number) {}

  /** Parses the next chunk; throws {@link SseEventTooLargeError} past the limit. */
  push(chunk: string): void {
    let start = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.skipLf && chunk.length > start) {
      this.skipLf = false;
      if (chunk.charCodeAt(start) === 10) start++;
    }
    let cr = chunk.indexOf('\r', start);
    while (start < chunk.length) {
      const lf = chunk.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = chunk.indexOf('\r', start);
      const end = cr !== -1 && (lf === -1 || cr < lf) ? cr : lf;
      if (end === -1) {
        // No line end in the rest of the chunk: keep it without scanning it again later.
        this.pending.push(chunk.slice(start));
        this.pendingChars += chunk.length - start;
        break;
      }
      const piece = chunk.slice(start, end);
      this.line(this.pending.length > 0 ? this.pending.join('') + piece : piece);
      this.pending = [];
      this.pendingChars = 0;
      start = end + 1;
      if (end === cr) {
        if (start === chunk.length) this.skipLf = true;
        else if (chunk.charCodeAt(start) === 10) start++;
      }
    }
    if (this.pendingChars + this.dataChars > this.maxEventChars) throw new SseEventTooLargeError(this.maxEventChars);
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 /* space */ ? colon + 2 : colon + 1);
    switch (field) {
      case 'data':
        (this.data ??= []).push(value);
        this.dataChars += value.length + 1;
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      default:
        // `retry` and unknown fields are ignored.
    }
  }

  private dispatch(): void {
    const { data, event, id } = this;
    this.data = undefined;
    this.dataChars = 0;
    this.event = '';
    this.id = undefined;
    if (data === undefined) return;
    this.onEvent({ event: event || 'message', data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
  }
}

/** One JSON-RPC message as an SSE `message` event. */
export function sseMessageEvent(json: string): string {
  return `event: message\ndata: ${json}\n\n`;
}
