import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcProblem } from '../transport/jsonrpc-message';
import { SseParser } from '../transport/sse';

/**
 * Largest JSON body or single SSE event the gateway reads from an upstream (characters). Far
 * above any sane tool result; it only stops a broken or hostile upstream from filling memory.
 */
export const MAX_UPSTREAM_MESSAGE_CHARS = 32 * 1024 * 1024;

/** Turns the decoded text of one upstream response body into JSON-RPC messages. */
export interface BodyReader {
  /** Takes the next piece of text; throws when the body breaks a limit. */
  push(text: string): void;
  /** The body ended; throws when what it held cannot be read. */
  end(): void;
}

/** The media type of a `Content-Type` value without parameters, lower case (`text/event-stream`). */
export function mediaType(contentType: string | string[] | undefined): string {
  const value = typeof contentType === 'string' ? contentType : '';
  const semicolon = value.indexOf(';');
  return (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * The reader for a response of `contentType`: one JSON message or a batch (`application/json`,
 * read whole at the end), or the `message` events of an SSE stream (`text/event-stream`, each
 * passed on as it completes). Messages that are not valid JSON-RPC go to `onInvalid` and are
 * dropped, as the SDK's transport does. Throws for any other content type.
 */
export function bodyReader(
  contentType: string | string[] | undefined, onMessage: (message: JSONRPCMessage) => void, onInvalid: (problem: string) => void,
): BodyReader {
  const accept = (value: unknown) => {
    const problem = jsonRpcProblem(value);
    if (problem === undefined) onMessage(value as JSONRPCMessage);
    else onInvalid(problem);
  };
  const type = mediaType(contentType);
  if (type === 'text/event-stream') {
    const parser = new SseParser((event) => {
      // Events without data are priming events (resumption ids), not messages.
      if (event.event !== 'message' || event.data.length === 0) return;
      const parsed = parse(event.data, onInvalid);
      if (parsed !== NOT_JSON) accept(parsed);
    }, MAX_UPSTREAM_MESSAGE_CHARS);
    return { push: (text) => parser.push(text), end: () => undefined };
  }
  if (type === 'application/json') {
    const chunks: string[] = [];
    let size = 0;
    return {
      push: (text) => {
        size += text.length;
        if (size > MAX_UPSTREAM_MESSAGE_CHARS) throw new Error(`upstream response exceeds ${MAX_UPSTREAM_MESSAGE_CHARS} characters`);
        chunks.push(text);
      },
      end: () => {
        const value = parse(chunks.length === 1 ? chunks[0] : chunks.join(''), onInvalid);
        if (Array.isArray(value)) value.forEach(accept);
        else if (value !== NOT_JSON) accept(value);
      },
    };
  }
  throw new Error(`unexpected content type ${JSON.stringify(contentType ?? '')}`);
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
