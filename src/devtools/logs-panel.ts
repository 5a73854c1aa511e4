/** Logs: console output of object workers, live, for one object or all; kept in the store's bounded list. */
import { useState } from 'preact/hooks';
import { html } from './html.ts';
import { useStore } from './use-store.ts';
import { time } from './format.ts';

export function LogsPanel(props: { objectKey: string | undefined; nameOf(key: string): string }) {
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
        onChange=${(e: Event) => setAll((e.target as HTMLInputElement).checked)} /> every object</label>
      <input type="search" placeholder="Filter" value=${text} onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
      <span class="muted">${logs.length} lines (of ${store.logs.length} kept)</span>
    </div>
    <div class="logs">
      ${logs.map(
        (l) => html`<div class=${`log log-${l.level}`} data-testid="log-line">
          <span class="muted">${time(l.at)}</span> <span class="who">${props.nameOf(l.key)}</span> <span class="lvl">${l.level}</span>
          <span class="text">${l.text}</span></div>`,
      )}
    </div>
  </section>`;
}
