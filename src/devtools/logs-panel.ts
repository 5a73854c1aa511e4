/**
 * Logs: console output of object workers and of the edge (the service worker
 * running the app's `fetch`, filed as `edge`), live, for one object or all;
 * kept in the store's bounded list.
 */
import { useState } from 'preact/hooks';
import { html } from './html.ts';
import { useStore } from './use-store.ts';
import { time } from './format.ts';
import { download, logRecords, type Describe } from './telemetry-export.ts';
import { EDGE_LOG_KEY } from '../names.ts';

export function LogsPanel(props: { objectKey: string | undefined; nameOf(key: string): string; describe?: Describe }) {
  const store = useStore();
  const [all, setAll] = useState(false);
  const [text, setText] = useState('');
  const logs = store.logs
    .filter((l) => all || !props.objectKey || l.key === props.objectKey)
    .filter((l) => !text || l.text.toLowerCase().includes(text.toLowerCase()))
    .slice(-500);
  return html`<section class="panel" data-panel="logs">
    <div class="toolbar">
      <label><input type="checkbox" checked=${all || !props.objectKey} disabled=${!props.objectKey}
        onChange=${(e: Event) => setAll((e.target as HTMLInputElement).checked)} /> every object and the edge</label>
      <input type="search" placeholder="Filter" value=${text} onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
      <span class="muted">${logs.length} lines (of ${store.logs.length} kept)</span>
      <button data-testid="export-logs" title="Every kept line as NDJSON, tagged with its object's jurisdiction; lines outside hearth.metadata_boundary left out"
        onClick=${() => download('hearth-logs.ndjson', logRecords(store, props.describe ?? (() => undefined)))}>Export NDJSON</button>
    </div>
    <div class="logs">
      ${logs.map(
        (l) => html`<div class=${`log log-${l.level}`} data-testid="log-line" data-source=${l.key === EDGE_LOG_KEY ? 'edge' : 'object'}>
          <span class="muted">${time(l.at)}</span> <span class="who">${props.nameOf(l.key)}</span>${l.jurisdiction ? html` <span class="muted">[${l.jurisdiction}]</span>` : ''} <span class="lvl">${l.level}</span>${' '}<span class="text">${l.text}</span></div>`,
      )}
    </div>
  </section>`;
}
