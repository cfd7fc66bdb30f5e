import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { parseServerRequestId } from './names';
import { HttpRejection } from './outcomes';
import { sessionGoneOr } from './prepare';
import { notifyUpstream, Upstream } from './upstream';
import { SessionView } from './view';
import { isNotification, isResponse } from '../transport/jsonrpc-message';

/** Key of an in-flight request in {@link ProxyDeps.inflight}. */
export function inflightKey(sid: string, id: string | number): string {
  return `${sid}\n${JSON.stringify(id)}`;
}

/**
 * Forwards a client notification or response upstream and waits until the upstream accepted it.
 * Notifications go to every upstream of the session (a cancellation names a request id only
 * the owning upstream knows; the others ignore it). Responses to server-initiated requests go
 * to the upstream encoded in their id. Throws `HttpRejection` 404 when an upstream no
 * longer knows the session.
 */
export async function forwardClientMessage(view: SessionView, message: JSONRPCMessage): Promise<void> {
  if (isNotification(message)) {
    if (message.method === 'notifications/cancelled') {
      const requestId = (message.params as Record<string, unknown> | undefined)?.requestId;
      if (typeof requestId === 'string' || typeof requestId === 'number') view.deps.inflight.get(inflightKey(view.state.sid, requestId))?.abort();
    }
    await Promise.all(view.members().map((upstream) => send(view, upstream, message)));
    return;
  }
  if (isResponse(message)) {
    const routed = message.id !== undefined ? parseServerRequestId(message.id) : undefined;
    const upstream = routed !== undefined ? view.member(routed.upstream) : undefined;
    if (routed === undefined || upstream === undefined) {
      view.deps.log.debug('dropping a response to a request the gateway did not relay', {});
      return;
    }
    await send(view, upstream, { ...message, id: routed.id });
  }
}

async function send(view: SessionView, upstream: Upstream, message: JSONRPCMessage): Promise<void> {
  try {
    await notifyUpstream(upstream, message, await view.callFor(upstream));
  } catch (error) {
    const gone = sessionGoneOr(error, () => view.deps.log.warn('upstream did not accept a client message', { upstream: upstream.name, error }));
    if (gone !== undefined) throw gone;
  }
}

