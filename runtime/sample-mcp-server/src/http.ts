import * as http from 'http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { UnauthorizedError } from './auth';
import { NoteStore } from './notes';
import { createNotesServer } from './server';

/** Options of the sample server's HTTP listener. */
export interface SampleHttpOptions {
  /** URL path of the MCP endpoint. */
  readonly path: string;
  /** Verifies the gateway-minted token; `undefined` only for local development on loopback. */
  readonly verify?: (authorization: string | undefined) => Promise<unknown>;
  /** Largest accepted request body in bytes. */
  readonly maxBodyBytes?: number;
}

const MAX_BODY_DEFAULT = 1024 * 1024;

async function readBody(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RangeError('body too large');
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * A stateless Streamable HTTP MCP endpoint: every request gets a fresh server and transport,
 * so any task can serve any request behind the gateway.
 */
export function createSampleHttpServer(store: NoteStore, options: SampleHttpOptions): http.Server {
  const limit = options.maxBodyBytes ?? MAX_BODY_DEFAULT;
  return http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname !== options.path) return sendJson(res, 404, { error: 'not found' });
      if (options.verify) {
        try {
          // Behind VPC Lattice with AWS_IAM auth, Authorization carries the gateway's SigV4
          // signature (checked by Lattice) and the minted token travels beside it.
          const upstreamToken = req.headers['x-mcp-upstream-authorization'];
          await options.verify(typeof upstreamToken === 'string' ? upstreamToken : req.headers.authorization);
        } catch (error) {
          if (error instanceof UnauthorizedError) return sendJson(res, 401, { error: 'unauthorized' });
          throw error;
        }
      }
      if (req.method !== 'POST') {
        // Stateless server: no standalone SSE stream and no sessions to delete.
        return res.writeHead(405, { allow: 'POST' }).end();
      }
      let body: unknown;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        return error instanceof RangeError
          ? sendJson(res, 413, { error: 'request body too large' })
          : sendJson(res, 400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      }
      const server = createNotesServer(store);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
}
