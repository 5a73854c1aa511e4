/**
 * The devtools page's end of the BroadcastChannel to host tabs
 * (host/devtools-link.ts): says `devtools-here` every heartbeat so hosts
 * keep reporting, and files what they report into the `EventStore`.
 */
import { DEVTOOLS_CHANNEL } from '../names.ts';
import type { DevtoolsBroadcast } from '../protocol.ts';
import type { EventStore } from './event-store.ts';

const HEARTBEAT_MS = 1000;

export function listenToHosts(clientId: string, store: EventStore): () => void {
  const channel = new BroadcastChannel(DEVTOOLS_CHANNEL);
  channel.onmessage = (event: MessageEvent<DevtoolsBroadcast>) => {
    const message = event.data;
    switch (message?.type) {
      case 'host-gate':
        store.addGate(message.hostId, message.key, message.event);
        return;
      case 'host-log':
        store.addLogs(message.hostId, [message]);
        return;
      case 'host-logs':
        store.addLogs(message.hostId, message.logs);
        return;
    }
  };
  const here = () => channel.postMessage({ type: 'devtools-here', clientId } satisfies DevtoolsBroadcast);
  here();
  const timer = setInterval(here, HEARTBEAT_MS);
  return () => {
    clearInterval(timer);
    channel.close();
  };
}
