/**
 * The devtools page's end of the BroadcastChannel to host tabs
 * (host/devtools-link.ts) and the edge (edge/edge-console.ts): says
 * `devtools-here` every heartbeat so they keep reporting, and files what
 * they report into the `EventStore`. A BroadcastChannel only joins pages and
 * workers of one origin; a message that says otherwise is dropped all the same.
 */
import { DEVTOOLS_CHANNEL, EDGE_LOG_KEY } from '../names.ts';
import type { DevtoolsBroadcast } from '../protocol.ts';
import type { EventStore } from './event-store.ts';

const HEARTBEAT_MS = 1000;

/** How long "close socket" waits for the tab that keeps it to answer. */
const CLOSE_TIMEOUT_MS = 5000;

/** Calling it stops listening (as `stop()` does): the shape callers had before it had methods. */
export interface HostChannel {
  (): void;
  /** Ask whichever tab keeps the socket to close it; resolves once it did. */
  closeSocket(key: string, sid: string): Promise<void>;
  stop(): void;
}

export function listenToHosts(clientId: string, store: EventStore): HostChannel {
  const channel = new BroadcastChannel(DEVTOOLS_CHANNEL);
  let rid = 1;
  const closing = new Map<number, () => void>();
  channel.onmessage = (event: MessageEvent<DevtoolsBroadcast>) => {
    if (event.origin && event.origin !== location.origin) return;
    const message = event.data;
    switch (message?.type) {
      case 'host-sockets':
        store.setSockets(message.hostId, message.sockets);
        return;
      case 'socket-closed':
        if (message.clientId === clientId) closing.get(message.rid)?.();
        return;
      case 'host-gate':
        store.addGate(message.hostId, message.key, message.event);
        return;
      case 'host-log':
        store.addLogs(message.hostId, [message]);
        return;
      case 'host-logs':
        if (message.boundary) store.boundary = message.boundary;
        store.addLogs(message.hostId, message.logs);
        return;
      case 'edge-logs':
        store.addLogs(EDGE_LOG_KEY, message.logs.map((line) => ({ ...line, key: EDGE_LOG_KEY })));
        return;
    }
  };
  const here = () => channel.postMessage({ type: 'devtools-here', clientId } satisfies DevtoolsBroadcast);
  here();
  const timer = setInterval(() => {
    here();
    store.flushMetrics();
  }, HEARTBEAT_MS);
  const stop = () => {
    clearInterval(timer);
    channel.close();
  };
  return Object.assign(stop, {
    closeSocket(key: string, sid: string) {
      const id = rid++;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          closing.delete(id);
          reject(new Error('No open tab keeps that socket any more.'));
        }, CLOSE_TIMEOUT_MS);
        closing.set(id, () => {
          clearTimeout(timer);
          closing.delete(id);
          resolve();
        });
        channel.postMessage({ type: 'close-socket', clientId, rid: id, key, sid } satisfies DevtoolsBroadcast);
      });
    },
    stop,
  });
}
