/** Re-render a component whenever the event store changes (at most once a frame: see event-store.ts). */
import { useContext, useEffect, useState } from 'preact/hooks';
import { DevtoolsContext } from './devtools-context.ts';
import type { EventStore } from './event-store.ts';

export function useStore(): EventStore {
  const { store } = useContext(DevtoolsContext);
  const [, setVersion] = useState(store.version);
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store]);
  return store;
}
