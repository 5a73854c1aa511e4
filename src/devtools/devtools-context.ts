/** What every panel uses: the links to the coordinator and objects, and the store of what hosts reported. */
import { createContext } from 'preact';
import type { CoordinatorClient } from './coordinator-client.ts';
import type { EventStore } from './event-store.ts';
import type { ObjectClient } from './object-client.ts';
import type { HostChannel } from './host-channel.ts';

export interface Devtools {
  coordinator: CoordinatorClient;
  objects: ObjectClient;
  store: EventStore;
  /** The BroadcastChannel to host tabs (absent where a page embeds panels without it). */
  hosts?: HostChannel;
}

export const DevtoolsContext = createContext<Devtools>(null as unknown as Devtools);
