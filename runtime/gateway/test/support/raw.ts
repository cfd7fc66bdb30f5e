import * as http from 'node:http';

/** A raw HTTP exchange, for requests no well-behaved client would send. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json(): Record<string, unknown>;
}

/** Sends one request with exactly the given headers and body. */
export function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** Headers of a well-formed MCP POST. */
export function mcpHeaders(token?: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'accept': 'application/json, text/event-stream',
    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  };
}

/** An `initialize` request body. */
export const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** The JSON-RPC messages of an SSE body. */
export function sseMessages(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

/**
 * The JSON-RPC messages of an answer to a POST, in either framing Streamable HTTP allows: an SSE
 * stream, or a JSON body with one message or an array. Anything else is a test failure.
 */
export function answerMessages(res: { headers: http.IncomingHttpHeaders | Headers; text: string }): Array<Record<string, unknown>> {
  const type = (res.headers instanceof Headers ? res.headers.get('content-type') : res.headers['content-type']) ?? '';
  if (type.startsWith('text/event-stream')) return sseMessages(res.text);
  if (type.startsWith('application/json')) return ([] as Array<Record<string, unknown>>).concat(JSON.parse(res.text));
  throw new Error(`not an MCP answer: content-type ${JSON.stringify(type)}`);
}
