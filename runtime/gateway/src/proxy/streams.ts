import { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { HttpRejection } from './outcomes';
import { sessionGoneOr } from './prepare';
import { relayToClient } from './relay';
import { openUpstreamStream, UpstreamStream } from './upstream';
import { SessionView } from './view';

/** The upstream standalone streams behind one client GET stream. */
export interface MergedStream {
  /** Number of upstreams that offered a stream. */
  readonly opened: number;
  close(): Promise<void>;
}

/**
 * Opens the standalone SSE stream of every upstream in the session and merges them into the
 * client's GET stream (`deliver`). Upstreams that offer no stream (405) are skipped; `onEnd`
 * fires once every opened upstream stream has ended. Throws {@link HttpRejection} 404 when an
 * upstream no longer knows the session, before anything is sent to the client.
 */
export async function openMergedStream(view: SessionView, deliver: (message: JSONRPCMessage) => void, onEnd: () => void): Promise<MergedStream> {
  const streams: UpstreamStream[] = [];
  let live = 0;
  let gone: HttpRejection | undefined;
  await Promise.all(view.members().map(async (upstream) => {
    try {
      const stream = await openUpstreamStream(upstream, await view.callFor(upstream),
        (message) => relayToClient(view, upstream.name, message, deliver),
        () => {
          live--;
          if (live === 0) onEnd();
        });
      streams.push(stream);
      live++;
    } catch (error) {
      gone ??= sessionGoneOr(error, () => view.deps.log.debug('upstream offers no standalone stream', { upstream: upstream.name, error }));
    }
  }));
  const close = async () => {
    await Promise.all(streams.map((s) => s.close()));
  };
  if (gone !== undefined) {
    await close();
    throw gone;
  }
  return { opened: streams.length, close };
}
