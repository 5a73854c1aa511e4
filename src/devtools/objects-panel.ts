/**
 * Objects: every object of every namespace (the coordinator's registry and
 * live directory, refreshed every second), with its name, state, host tab
 * and last activity — and its alarm and open sockets when those exist.
 * Actions act through the object's own gates (object-client.ts).
 */
import { useContext, useState } from 'preact/hooks';
import { html } from './html.ts';
import { DevtoolsContext } from './devtools-context.ts';
import { addressOf, matchesFilter, type ObjectRow } from './objects-model.ts';
import { shortId, time } from './format.ts';

export function ObjectsPanel(props: {
  rows: ObjectRow[];
  selected: string | undefined;
  select(key: string): void;
  open(key: string, tab: string): void;
}) {
  const { objects } = useContext(DevtoolsContext);
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState('');
  const rows = props.rows.filter((r) => matchesFilter(r, filter));
  const hasAlarm = props.rows.some((r) => r.alarm !== undefined);
  const hasSockets = props.rows.some((r) => r.sockets !== undefined);

  async function act(row: ObjectRow, op: 'evict' | 'abort') {
    setMessage(`${op} ${row.name ?? shortId(row.id)}…`);
    try {
      await objects.ask(addressOf(row), { op });
      setMessage(`${op === 'evict' ? 'Evicted' : 'Reset'} ${row.className} ${row.name ?? shortId(row.id)}.`);
    } catch (error) {
      setMessage(`${op} failed: ${(error as Error).message}`);
    }
  }

  return html`<section class="panel" data-panel="objects">
    <div class="toolbar">
      <input type="search" placeholder="Filter by class, name, id or state" value=${filter}
        onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} data-testid="objects-filter" />
      <span class="muted">${rows.length} of ${props.rows.length} objects</span>
      <span class="message" data-testid="action-message">${message}</span>
    </div>
    <table class="grid">
      <thead><tr><th>Class</th><th>Name</th><th>Id</th><th>State</th><th>Host tab</th><th>Last activity</th>
        ${hasAlarm && html`<th>Alarm</th>`}${hasSockets && html`<th>Sockets</th>`}<th>Actions</th></tr></thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr key=${row.key} class=${row.key === props.selected ? 'selected' : ''} data-testid="object-row"
              data-class=${row.className} data-name=${row.name ?? ''} data-state=${row.state}
              onClick=${() => props.select(row.key)}>
            <td>${row.className}</td>
            <td class="name">${row.name ?? html`<span class="muted">(unique id)</span>`}</td>
            <td class="mono" title=${row.id}>${shortId(row.id)}</td>
            <td><span class=${`state state-${row.state}`}>${row.state}</span></td>
            <td class="mono" title=${row.hostId ?? ''}>${row.hostId ? shortId(row.hostId) : '—'}</td>
            <td>${time(row.lastActivity)}</td>
            ${hasAlarm && html`<td>${row.alarm ? time(row.alarm) : '—'}</td>`}
            ${hasSockets && html`<td>${row.sockets ?? 0}</td>`}
            <td class="actions">
              <button onClick=${(e: Event) => (e.stopPropagation(), props.open(row.key, 'storage'))}>Storage</button>
              <button onClick=${(e: Event) => (e.stopPropagation(), props.open(row.key, 'timeline'))}>Timeline</button>
              <button data-testid="evict" onClick=${(e: Event) => (e.stopPropagation(), void act(row, 'evict'))}>Evict now</button>
              <button data-testid="abort" onClick=${(e: Event) => (e.stopPropagation(), void act(row, 'abort'))}>Abort</button>
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
