import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { serverRequestId } from './names';
import { SessionView } from './view';
import { isNotification, isRequest } from '../transport/jsonrpc-message';

/** Where messages for the client go: a request's SSE stream, or the standalone stream. */
export interface DownstreamSink {
  send(message: JSONRPCMessage, relatedRequestId?: RequestId): Promise<void>;
}

/**
 * Passes a message an upstream sent on its own initiative (progress, logging, resource updates,
 * list changes, sampling, elicitation, roots, ping) to the client. Server-initiated request ids
 * are rewritten so the client's answer finds its way back to the upstream through any replica;
 * a list change makes this replica pin the upstream's tools again before the next call.
 */
export function relayToClient(view: SessionView, upstream: string, message: JSONRPCMessage, deliver: (message: JSONRPCMessage) => void): void {
  if (isRequest(message)) {
    deliver({ ...message, id: serverRequestId(upstream, message.id) });
    return;
  }
  if (!isNotification(message)) return;
  if (message.method === 'notifications/tools/list_changed') view.deps.catalog.invalidate(upstream);
  if (message.method === 'notifications/cancelled') {
    const params = (message.params ?? {}) as Record<string, unknown>;
    if (typeof params.requestId === 'string' || typeof params.requestId === 'number') {
      deliver({ ...message, params: { ...params, requestId: serverRequestId(upstream, params.requestId) } });
    }
    return;
  }
  deliver(message);
}
