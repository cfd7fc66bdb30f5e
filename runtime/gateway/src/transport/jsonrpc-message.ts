import type {
  JSONRPCErrorResponse, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse, JSONRPCResultResponse,
} from '@modelcontextprotocol/sdk/types.js';

const MAX_METHOD_LENGTH = 256;
const MAX_ID_LENGTH = 256;
const RELATED_TASK = 'io.modelcontextprotocol/related-task';
const REQUEST_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const NOTIFICATION_KEYS = new Set(['jsonrpc', 'method', 'params']);
const RESULT_KEYS = new Set(['jsonrpc', 'id', 'result']);
const ERROR_KEYS = new Set(['jsonrpc', 'id', 'error']);

/**
 * Why `value` is not a JSON-RPC 2.0 message as MCP defines it, or `undefined` when it is one.
 * Checks everything the SDK's `JSONRPCMessageSchema` checks (strict top-level keys, `params` and
 * `result` objects, `_meta.progressToken` a string or integer, the related-task reference, an
 * error's integer `code` and string `message`) plus MCP's stricter rules (ids are strings or
 * integers, never null, and bounded; methods are bounded). Written by hand because it runs twice
 * per proxied call (client message, upstream message) and a zod union parse costs more than the
 * rest of the message handling; a property test keeps it in step with the SDK's schema.
 */
export function jsonRpcProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON-RPC message object';
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  const hasId = 'id' in m;
  if (hasId && !isValidId(m.id)) return 'id must be a string or an integer';
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method.length === 0 || m.method.length > MAX_METHOD_LENGTH) return 'method must be a non-empty string';
    if ('result' in m || 'error' in m) return 'a request must not carry result or error';
    if ('params' in m && !isObject(m.params)) return 'params must be an object';
    if (extraKey(m, hasId ? REQUEST_KEYS : NOTIFICATION_KEYS)) return 'unexpected member in a request or notification';
    return metaProblem((m.params as Record<string, unknown> | undefined)?._meta);
  }
  if (!hasId) return 'expected a request, notification or response';
  if (('result' in m) === ('error' in m)) return 'a response carries exactly one of result or error';
  if ('result' in m) {
    if (!isObject(m.result)) return 'result must be an object';
    if (extraKey(m, RESULT_KEYS)) return 'unexpected member in a response';
    return metaProblem((m.result as Record<string, unknown>)._meta);
  }
  const error = m.error as Record<string, unknown> | undefined;
  if (!isObject(error) || !Number.isSafeInteger(error!.code) || typeof error!.message !== 'string') return 'error must have an integer code and a string message';
  return extraKey(m, ERROR_KEYS) ? 'unexpected member in a response' : undefined;
}

/** Whether `id` is a valid MCP request id: a bounded string or a safe integer. */
export function isValidId(id: unknown): id is string | number {
  return (typeof id === 'string' && id.length <= MAX_ID_LENGTH) || (typeof id === 'number' && Number.isSafeInteger(id));
}

// The guards below tell apart messages that already passed `jsonRpcProblem`: member presence
// is then enough, where the SDK's guards would parse the whole message again.

/** A request (has `method` and `id`). */
export function isRequest(m: JSONRPCMessage): m is JSONRPCRequest {
  return 'method' in m && 'id' in m;
}

/** A notification (has `method`, no `id`). */
export function isNotification(m: JSONRPCMessage): m is JSONRPCNotification {
  return 'method' in m && !('id' in m);
}

/** A response, with a result or an error. */
export function isResponse(m: JSONRPCMessage): m is JSONRPCResponse {
  return !('method' in m);
}

/** A successful response. */
export function isResultResponse(m: JSONRPCMessage): m is JSONRPCResultResponse {
  return 'result' in m && !('method' in m);
}

/** An error response. */
export function isErrorResponse(m: JSONRPCMessage): m is JSONRPCErrorResponse {
  return 'error' in m && !('method' in m);
}

function metaProblem(meta: unknown): string | undefined {
  if (meta === undefined) return undefined;
  if (!isObject(meta)) return '_meta must be an object';
  const { progressToken } = meta as Record<string, unknown>;
  if (progressToken !== undefined && typeof progressToken !== 'string' && !Number.isSafeInteger(progressToken)) return '_meta.progressToken must be a string or an integer';
  const task = (meta as Record<string, unknown>)[RELATED_TASK];
  if (task !== undefined && !(isObject(task) && typeof (task as Record<string, unknown>).taskId === 'string')) return `_meta["${RELATED_TASK}"].taskId must be a string`;
  return undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function extraKey(m: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in m) if (!allowed.has(key)) return true;
  return false;
}
