/**
 * The devtools page: tabs for Objects, Storage, Timeline, Logs and Metrics,
 * one selected object shared between them, and the coordinator's view
 * refreshed every second so the list stays live.
 */
import { useContext, useEffect, useState } from 'preact/hooks';
import { DevtoolsContext } from './devtools-context.ts';
import { html } from './html.ts';
import { addressOf, labelOf, objectRows } from './objects-model.ts';
import { ObjectsPanel } from './objects-panel.ts';
import { StoragePanel } from './storage-panel.ts';
import { TimelinePanel } from './timeline-panel.ts';
import { LogsPanel } from './logs-panel.ts';
import { MetricsPanel } from './metrics-panel.ts';
import { useStore } from './use-store.ts';
import { shortId } from './format.ts';
import { useCoordinatorView } from './use-coordinator-view.ts';

const TABS = ['objects', 'storage', 'timeline', 'logs', 'metrics'] as const;
type Tab = (typeof TABS)[number];

export function App() {
  const { coordinator } = useContext(DevtoolsContext);
  const store = useStore();
  const initial = new URLSearchParams(location.hash.slice(1));
  const [tab, setTab] = useState<Tab>((TABS as readonly string[]).includes(initial.get('tab') ?? '') ? (initial.get('tab') as Tab) : 'objects');
  const [selected, select] = useState<string | undefined>(initial.get('object') ?? undefined);
  const { view, error } = useCoordinatorView();

  useEffect(() => {
    const params = new URLSearchParams({ tab, ...(selected ? { object: selected } : {}) });
    history.replaceState(null, '', `#${params}`);
  }, [tab, selected]);

  const rows = objectRows(view?.live ?? [], view?.registry ?? [], store.lastActivity, view?.alarms ?? []);
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const row = selected ? byKey.get(selected) : undefined;
  const nameOf = (key: string) => labelOf(byKey.get(key), key);
  const describe = (key: string) => {
    const r = byKey.get(key);
    if (!r) return undefined;
    const { namespaceKey, className, id, name, jurisdiction } = r;
    return { object: { namespaceKey, className, id, ...(name !== undefined ? { name } : {}) }, ...(jurisdiction ? { jurisdiction } : {}) };
  };
  const open = (key: string, to: Tab) => {
    select(key);
    setTab(to);
  };

  return html`<div class="devtools">
    <header>
      <span class="brand">Hearth DevTools</span>
      <nav>${TABS.map(
        (t) => html`<button class=${t === tab ? 'active' : ''} data-tab=${t} onClick=${() => setTab(t)}>${t[0]!.toUpperCase() + t.slice(1)}</button>`,
      )}</nav>
      <span class="muted">${row ? `selected: ${labelOf(row, row.key)}` : 'no object selected'}</span>
      <span class="muted" data-testid="coordinator" data-id=${view?.coordinatorId ?? ''} data-mode=${coordinator.mode ?? ''}
        title="Where the coordinator runs: the origin's SharedWorker, or the tab elected leader">${view
        ? `coordinator ${shortId(view.coordinatorId)} (${coordinator.mode === 'leader-tab' ? 'leader tab' : 'shared worker'}) · ${view.live.length} live`
        : 'connecting…'}</span>
      ${error && html`<span class="error">${error}</span>`}
    </header>
    <main>
      ${tab === 'objects' && html`<${ObjectsPanel} rows=${rows} selected=${selected} select=${select} open=${open} />`}
      ${tab === 'storage' && html`<${StoragePanel} address=${row ? addressOf(row) : undefined} label=${row ? labelOf(row, row.key) : ''} />`}
      ${tab === 'timeline' && html`<${TimelinePanel} objectKey=${selected} label=${selected ? nameOf(selected) : ''} address=${row ? addressOf(row) : undefined} />`}
      ${tab === 'logs' && html`<${LogsPanel} objectKey=${selected} nameOf=${nameOf} describe=${describe} />`}
      ${tab === 'metrics' && html`<${MetricsPanel} nameOf=${nameOf} selected=${selected} describe=${describe} />`}
    </main>
  </div>`;
}
