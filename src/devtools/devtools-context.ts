/** What every panel uses: the links to the coordinator and objects, and the store of what hosts reported. */
import { createContext } from 'preact';
import type { CoordinatorClient } from './coordinator-client.ts';
import type { EventStore } from './event-store.ts';
import type { ObjectClient } from './object-client.ts';

export interface Devtools {
  coordinator: CoordinatorClient;
  objects: ObjectClient;
  store: EventStore;
}

export const DevtoolsContext = createContext<Devtools>(null as unknown as Devtools);
