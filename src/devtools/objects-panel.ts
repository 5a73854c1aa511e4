/**
 * Objects: every object of every namespace (the coordinator's registry and
 * live directory, refreshed every second), with its name, jurisdiction,
 * state, host tab, stored size, last activity, scheduled alarm and open
 * sockets. Actions do exactly what the runtime does on its own:
 *  - through the object's own gates (object-client.ts): evict, hibernate
 *    (the idle path), abort (reset), wipe (deleteAll, then a reset);
 *  - through the coordinator: fire the alarm now (the scheduler's own
 *    delivery), wipe a namespace;
 *  - through the tab that keeps it: close a socket (a hibernatable one kept
 *    by the tab, or an `accept()`-ed one its object's worker holds).
 */
import { useContext, useState } from 'preact/hooks';
import { html } from './html.ts';
import { DevtoolsContext } from './devtools-context.ts';
import { addressOf, matchesFilter, type ObjectRow } from './objects-model.ts';
import { bytes, shortId, time } from './format.ts';
import { useStore } from './use-store.ts';
import type { DevtoolsRequest } from '../protocol.ts';

type ObjectOp = Extract<DevtoolsRequest['op'], 'evict' | 'abort' | 'hibernate' | 'wipe'>;

const DONE: Record<ObjectOp | 'fire-alarm', string> = {
  evict: 'Evicted',
  abort: 'Reset',
  hibernate: 'Hibernated',
  wipe: 'Wiped',
  'fire-alarm': 'Fired the alarm of',
};

/** The reset that ends a wipe may reach the page before the wipe's own answer: it means the wipe is done. */
const WIPE_RESET = /its storage was wiped/;

export function ObjectsPanel(props: {
  rows: ObjectRow[];
  selected: string | undefined;
  select(key: string): void;
  open(key: string, tab: string): void;
}) {
  const { objects, coordinator, hosts } = useContext(DevtoolsContext);
  const store = useStore();
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState('');
  const rows = props.rows.filter((r) => matchesFilter(r, filter));
  const label = (row: ObjectRow) => `${row.className} ${row.name ?? shortId(row.id)}`;
  const namespaces = [...new Set(props.rows.map((r) => r.namespaceKey))];
  const selectedRow = props.rows.find((r) => r.key === props.selected);
  const sockets = props.selected ? store.socketsOf(props.selected) : [];

  async function act(row: ObjectRow, op: ObjectOp | 'fire-alarm') {
    if (op === 'wipe' && !confirm(`Delete all storage of ${label(row)} and reset it?`)) return;
    setMessage(`${op} ${row.name ?? shortId(row.id)}…`);
    try {
      if (op === 'fire-alarm') await coordinator.act({ op: 'fire-alarm', key: row.key });
      else {
        try {
          await objects.ask(addressOf(row), { op });
        } catch (error) {
          if (!(op === 'wipe' && WIPE_RESET.test((error as Error).message))) throw error;
        }
      }
      setMessage(`${DONE[op]} ${label(row)}.`);
    } catch (error) {
      setMessage(`${op} failed: ${(error as Error).message}`);
    }
  }

  async function wipeNamespace(namespaceKey: string) {
    if (!confirm(`Delete the storage of every object of ${namespaceKey}?`)) return;
    setMessage(`wiping ${namespaceKey}…`);
    try {
      await coordinator.act({ op: 'wipe-namespace', namespaceKey });
      setMessage(`Wiped namespace ${namespaceKey}.`);
    } catch (error) {
      setMessage(`wipe of ${namespaceKey} failed: ${(error as Error).message}`);
    }
  }

  async function closeSocket(key: string, sid: string) {
    setMessage('closing socket…');
    try {
      if (!hosts) throw new Error('this page does not listen to host tabs');
      await hosts.closeSocket(key, sid);
      setMessage(`Closed socket ${shortId(sid)}.`);
    } catch (error) {
      setMessage(`close failed: ${(error as Error).message}`);
    }
  }

  const stop = (e: Event) => e.stopPropagation();

  return html`<section class="panel" data-panel="objects">
    <div class="toolbar">
      <input type="search" placeholder="Filter by class, name, id, jurisdiction or state" value=${filter}
        onInput=${(e: Event) => setFilter((e.target as HTMLInputElement).value)} data-testid="objects-filter" />
      <span class="muted">${rows.length} of ${props.rows.length} objects</span>
      <span class="message" data-testid="action-message">${message}</span>
    </div>
    <table class="grid">
      <thead><tr><th>Class</th><th>Name</th><th>Id</th><th>Jurisdiction</th><th>State</th><th>Host tab</th><th>Size</th>
        <th>Last activity</th><th>Alarm</th><th>Sockets</th><th>Actions</th></tr></thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr key=${row.key} class=${row.key === props.selected ? 'selected' : ''} data-testid="object-row"
              data-class=${row.className} data-name=${row.name ?? ''} data-state=${row.state}
              data-alarm=${row.alarm ?? ''} data-sockets=${row.sockets ?? 0} data-size=${row.sizeBytes ?? ''}
              onClick=${() => props.select(row.key)}>
            <td>${row.className}</td>
            <td class="name">${row.name ?? html`<span class="muted">(unique id)</span>`}</td>
            <td class="mono" title=${row.id}>${shortId(row.id)}</td>
            <td data-testid="jurisdiction">${row.jurisdiction ?? html`<span class="muted">—</span>`}</td>
            <td><span class=${`state state-${row.state}`}>${row.state}</span></td>
            <td class="mono" data-testid="host" title=${row.hostId ?? ''}>${row.hostId ? shortId(row.hostId) : '—'}</td>
            <td data-testid="size">${row.sizeBytes !== undefined ? bytes(row.sizeBytes) : '—'}</td>
            <td>${time(row.lastActivity)}</td>
            <td data-testid="alarm" title=${row.alarm ? new Date(row.alarm).toISOString() : ''}>
              ${row.alarm ? time(row.alarm) : '—'}${row.alarmRetries ? html` <span class="muted">(retry ${row.alarmRetries})</span>` : ''}</td>
            <td data-testid="sockets">${row.sockets ?? 0}</td>
            <td class="actions" onClick=${stop}>
              <button onClick=${() => props.open(row.key, 'storage')}>Storage</button>
              <button onClick=${() => props.open(row.key, 'timeline')}>Timeline</button>
              <button data-testid="evict" title="Stop it now; the constructor runs again on the next event" onClick=${() => void act(row, 'evict')}>Evict now</button>
              <button data-testid="hibernate" title="Stop it as the idle timer would: hibernatable sockets stay open" onClick=${() => void act(row, 'hibernate')}>Hibernate now</button>
              <button data-testid="fire-alarm" disabled=${!row.alarm} title="Deliver its scheduled alarm now, with the scheduler's retries" onClick=${() => void act(row, 'fire-alarm')}>Fire alarm now</button>
              <button data-testid="abort" title="Reset it as ctx.abort() would" onClick=${() => void act(row, 'abort')}>Abort</button>
              <button data-testid="wipe" title="deleteAll() (and the alarm), then a reset" onClick=${() => void act(row, 'wipe')}>Wipe</button>
            </td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${selectedRow && html`<div class="details" data-testid="sockets-of-selected">
      <h3>Open sockets of ${label(selectedRow)}</h3>
      ${sockets.length === 0
        ? html`<p class="muted">None held by an open tab.</p>`
        : html`<table class="grid"><thead><tr><th>Socket</th><th>Kind</th><th>Tags</th><th>State</th><th>Tab</th><th></th></tr></thead><tbody>
          ${sockets.map((s) => html`<tr key=${s.sid} data-testid="socket-row" data-tags=${s.tags.join(',')} data-kind=${s.accepted ? 'accepted' : 'hibernatable'}>
            <td class="mono">${shortId(s.sid)}</td>
            <td title=${s.accepted ? 'accept()-ed: held by the object itself, ends with its worker' : 'acceptWebSocket(): kept by the tab while the object sleeps'}>${s.accepted ? 'accept()' : 'hibernatable'}</td>
            <td>${s.tags.length ? s.tags.join(', ') : html`<span class="muted">—</span>`}</td>
            <td>${['connecting', 'open', 'closing', 'closed'][s.readyState] ?? s.readyState}</td>
            <td class="mono">${shortId(s.hostId)}</td>
            <td><button data-testid="close-socket" onClick=${() => void closeSocket(s.key, s.sid)}>Close socket</button></td>
          </tr>`)}</tbody></table>`}
    </div>`}
    <div class="toolbar">
      <span class="muted">Namespaces:</span>
      ${namespaces.map((ns) => html`<button data-testid="wipe-namespace" data-namespace=${ns} onClick=${() => void wipeNamespace(ns)}>Wipe ${ns}</button>`)}
    </div>
  </section>`;
}
