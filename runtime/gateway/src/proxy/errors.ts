import { JSONRPCErrorResponse } from '@modelcontextprotocol/sdk/types.js';

/**
 * JSON-RPC error codes the gateway answers with. -32601/-32602/-32603 are JSON-RPC's own;
 * -32001 is the SDK's request timeout and -32002 MCP's resource-not-found; the others are
 * in the implementation-defined server error range (-32000 to -32099).
 */
export const GatewayErrorCode = {
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  RequestTimeout: -32001,
  ResourceNotFound: -32002,
  /** The authorization policy denied the request. */
  Forbidden: -32003,
  /** A guardrail blocked the upstream's result. */
  ResultBlocked: -32004,
  /** The upstream could not be reached or failed. */
  UpstreamUnavailable: -32005,
  /** The audit record could not be written; the result is withheld (fail closed). */
  AuditUnavailable: -32006,
} as const;

/** A JSON-RPC error raised inside the proxy, turned into an error response for the client. */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'RpcError';
  }

  /** The error response for request `id`. */
  toResponse(id: string | number): JSONRPCErrorResponse {
    return { jsonrpc: '2.0', id, error: { code: this.code, message: this.message, ...(this.data !== undefined ? { data: this.data } : {}) } };
  }
}
