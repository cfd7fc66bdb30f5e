import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isValidId, jsonRpcProblem } from './jsonrpc-message';

/** JSON-RPC 2.0 error codes the transport answers with. */
export const JsonRpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** MCP SDK convention: session not found, request timed out. */
  ConnectionClosed: -32000,
  RequestTimeout: -32001,
} as const;

/** A JSON-RPC id; `null` when the request's id could not be determined. */
export type JsonRpcId = string | number | null;

/** Result of validating a request body. */
export type JsonRpcParse =
  | { readonly ok: true; readonly messages: JSONRPCMessage[]; readonly batch: boolean }
  | { readonly ok: false; readonly code: number; readonly message: string; readonly id: JsonRpcId };

/**
 * Parses and validates a POST body as JSON-RPC 2.0 with MCP's stricter rules (ids are strings or
 * integers, never null; params are objects). Each failure has the precise code: -32700 when the
 * body is not JSON, -32600 when it is JSON but not a valid message or an abusive batch (empty,
 * over `maxBatchSize`, repeated ids, or containing `initialize`).
 */
export function parseJsonRpc(body: string, maxBatchSize: number): JsonRpcParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, code: JsonRpcCode.ParseError, message: 'Parse error: body is not valid JSON', id: null };
  }
  if (!Array.isArray(value)) {
    const problem = jsonRpcProblem(value);
    if (problem !== undefined) return { ok: false, code: JsonRpcCode.InvalidRequest, message: `Invalid Request: ${problem}`, id: idOf(value) };
    return { ok: true, messages: [value as JSONRPCMessage], batch: false };
  }
  if (maxBatchSize === 0) return invalid('batch requests are not accepted');
  if (value.length === 0) return invalid('empty batch');
  if (value.length > maxBatchSize) return invalid(`batch of ${value.length} messages exceeds the limit of ${maxBatchSize}`);
  const ids = new Set<string | number>();
  for (const [index, item] of value.entries()) {
    const problem = jsonRpcProblem(item);
    if (problem !== undefined) return invalid(`batch item ${index}: ${problem}`);
    const message = item as Record<string, unknown>;
    if (message.method === 'initialize') return invalid('initialize must not be part of a batch');
    if ('method' in message && 'id' in message) {
      const id = message.id as string | number;
      if (ids.has(id)) return invalid(`batch item ${index}: duplicate request id ${JSON.stringify(id)}`);
      ids.add(id);
    }
  }
  return { ok: true, messages: value as JSONRPCMessage[], batch: true };
}

/** A JSON-RPC error response body. */
export function jsonRpcError(id: JsonRpcId, code: number, message: string): Record<string, unknown> {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

function invalid(message: string): JsonRpcParse {
  return { ok: false, code: JsonRpcCode.InvalidRequest, message: `Invalid Request: ${message}`, id: null };
}

function idOf(value: unknown): JsonRpcId {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as Record<string, unknown>).id;
  return isValidId(id) ? (id as string | number) : null;
}
