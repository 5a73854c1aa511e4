/**
 * The coordinator's view (live directory, registry, alarms), asked for again
 * every second so a panel's object list stays live; `error` says why the last
 * ask failed, and is cleared by the next that succeeds. Shared by the
 * devtools page and the playground's embedded panels.
 */
import { useContext, useEffect, useState } from 'preact/hooks';
import { DevtoolsContext } from './devtools-context.ts';
import type { CoordinatorView } from './coordinator-client.ts';

const REFRESH_MS = 1000;

export function useCoordinatorView(): { view: CoordinatorView | undefined; error: string } {
  const { coordinator } = useContext(DevtoolsContext);
  const [view, setView] = useState<CoordinatorView | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    let stopped = false;
    // One question at a time: while the coordinator is away (a new leader being elected), they would pile up.
    let asking = false;
    const refresh = async () => {
      if (asking) return;
      asking = true;
      try {
        const next = await coordinator.inspect();
        if (!stopped) {
          setView(next);
          setError('');
        }
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      } finally {
        asking = false;
      }
    };
    void refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [coordinator]);
  return { view, error };
}
