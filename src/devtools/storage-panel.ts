/**
 * Storage of one object: KV entries decoded (a Map, a Date shown as such),
 * SQL tables with schema and rows, edits and deletes of KV entries, a SQL
 * console (read-only unless switched to write) and an export of the
 * database file. Every request is an event through the object's gates
 * (object/events/devtools.ts), so an edit is durable when it shows.
 */
import { useContext, useEffect, useState } from 'preact/hooks';
import type { DevtoolsAnswer, ObjectAddress } from '../protocol.ts';
import { html } from './html.ts';
import { DevtoolsContext } from './devtools-context.ts';
import { describe, parseLiteral, toLiteral, typeName } from './value-format.ts';
import { bytes } from './format.ts';

type StorageAnswer = Extract<DevtoolsAnswer, { op: 'storage' }>;
type SqlAnswer = Extract<DevtoolsAnswer, { op: 'sql' }>;

const ROW_LIMIT = 100;

function cell(value: unknown) {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return describe(value);
  return value === null ? html`<span class="muted">NULL</span>` : String(value);
}

export function StoragePanel(props: { address: ObjectAddress | undefined; label: string }) {
  const { objects } = useContext(DevtoolsContext);
  const [data, setData] = useState<StorageAnswer | undefined>();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState<{ key: string; source: string; isNew: boolean } | undefined>();
  const [query, setQuery] = useState('SELECT name FROM sqlite_master');
  const [write, setWrite] = useState(false);
  const [result, setResult] = useState<SqlAnswer | string | undefined>();
  const address = props.address;

  async function load() {
    if (!address) return;
    try {
      setData((await objects.ask(address, { op: 'storage', rowLimit: ROW_LIMIT })) as StorageAnswer);
      setError('');
    } catch (e) {
      setError((e as Error).message);
    }
  }
  useEffect(() => {
    setData(undefined);
    setResult(undefined);
    void load();
  }, [address?.namespaceKey, address?.id]);

  if (!address) return html`<section class="panel"><p class="muted">Choose an object in the Objects panel.</p></section>`;

  async function save() {
    if (!editing || !address) return;
    try {
      const value = parseLiteral(editing.source);
      await objects.ask(address, { op: 'kv-put', key: editing.key, value });
      setEditing(undefined);
      await load();
    } catch (e) {
      setError(`Not saved: ${(e as Error).message}`);
    }
  }

  async function remove(key: string) {
    if (!address) return;
    await objects.ask(address, { op: 'kv-delete', key });
    await load();
  }

  async function run() {
    if (!address) return;
    try {
      setResult((await objects.ask(address, { op: 'sql', query, write })) as SqlAnswer);
      if (write) await load();
    } catch (e) {
      setResult(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }

  async function exportDatabase() {
    if (!address) return;
    const answer = (await objects.ask(address, { op: 'export' })) as Extract<DevtoolsAnswer, { op: 'export' }>;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([answer.bytes as BlobPart], { type: 'application/vnd.sqlite3' }));
    link.download = `${props.label.replace(/[^\w.-]+/g, '_')}.sqlite`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  async function importDatabase(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !address) return;
    if (!confirm(`Replace the whole database of ${props.label} with ${file.name}? The object restarts on it.`)) return;
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      await objects.ask(address, { op: 'import', bytes });
      setError('');
      setNotice(`Imported ${file.name}; the object restarted on it.`);
      await load();
    } catch (e) {
      setError(`Not imported: ${(e as Error).message}`);
    }
  }

  return html`<section class="panel" data-panel="storage">
    <div class="toolbar">
      <strong>${props.label}</strong>
      <button onClick=${load} data-testid="storage-refresh">Refresh</button>
      <button onClick=${exportDatabase} data-testid="export">Export .sqlite</button>
      <label class="button">Import .sqlite<input type="file" accept=".sqlite,.sqlite3,.db,application/vnd.sqlite3" hidden
        data-testid="import" onChange=${importDatabase} /></label>
      ${notice && html`<span class="message" data-testid="storage-notice">${notice}</span>`}
      ${data && html`<span class="muted">database ${bytes(data.sizeBytes)}</span>`}
      ${error && html`<span class="error">${error}</span>`}
    </div>
    <h3>Key-value entries ${data && html`<span class="muted">(${data.kvCount})</span>`}
      <button onClick=${() => setEditing({ key: '', source: '""', isNew: true })}>Add entry</button></h3>
    ${editing && html`<div class="editor" data-testid="kv-editor">
      ${editing.isNew
        ? html`<input placeholder="key" value=${editing.key} data-testid="kv-edit-key"
            onInput=${(e: Event) => setEditing({ ...editing, key: (e.target as HTMLInputElement).value })} />`
        : html`<code>${editing.key}</code>`}
      <textarea rows="4" data-testid="kv-edit-value" value=${editing.source}
        onInput=${(e: Event) => setEditing({ ...editing, source: (e.target as HTMLTextAreaElement).value })}></textarea>
      <span class="muted">A JavaScript value: <code>new Map([["a", 1]])</code>, <code>new Date()</code>, <code>{"n": 1}</code></span>
      <button onClick=${save} data-testid="kv-save">Save</button><button onClick=${() => setEditing(undefined)}>Cancel</button>
    </div>`}
    <table class="grid">
      <thead><tr><th>Key</th><th>Type</th><th>Value</th><th>Size</th><th></th></tr></thead>
      <tbody>
        ${(data?.kv ?? []).map(
          (e) => html`<tr key=${e.key} data-testid="kv-row" data-key=${e.key}>
            <td class="mono">${e.key}</td><td>${typeName(e.value)}</td>
            <td class="mono value" data-testid="kv-value">${describe(e.value)}</td><td>${bytes(e.bytes)}</td>
            <td class="actions">
              <button data-testid="kv-edit" onClick=${() => setEditing({ key: e.key, source: toLiteral(e.value), isNew: false })}>Edit</button>
              <button data-testid="kv-delete" onClick=${() => remove(e.key)}>Delete</button>
            </td></tr>`,
        )}
      </tbody>
    </table>
    <h3>SQL tables</h3>
    ${(data?.tables ?? []).length === 0 && html`<p class="muted">No SQL tables.</p>`}
    ${(data?.tables ?? []).map(
      (t) => html`<details open data-testid="sql-table" data-table=${t.name}>
        <summary><strong>${t.name}</strong> <span class="muted">${t.count} rows</span></summary>
        <pre class="schema">${t.schema}</pre>
        <table class="grid"><thead><tr>${t.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
          <tbody>${t.rows.map((r) => html`<tr data-testid="sql-row">${r.map((v) => html`<td class="mono">${cell(v)}</td>`)}</tr>`)}</tbody>
        </table>
      </details>`,
    )}
    <h3>SQL console</h3>
    <div class="console">
      <textarea rows="3" data-testid="sql-query" value=${query} onInput=${(e: Event) => setQuery((e.target as HTMLTextAreaElement).value)}></textarea>
      <label><input type="checkbox" checked=${write} data-testid="sql-write"
        onChange=${(e: Event) => setWrite((e.target as HTMLInputElement).checked)} /> allow writes</label>
      <button onClick=${run} data-testid="sql-run">Run</button>
    </div>
    ${typeof result === 'string' && html`<pre class="error" data-testid="sql-result">${result}</pre>`}
    ${result && typeof result !== 'string' && html`<div data-testid="sql-result">
      <span class="muted">${result.rows.length} rows · rows read ${result.rowsRead} · rows written ${result.rowsWritten}</span>
      <table class="grid"><thead><tr>${result.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
        <tbody>${result.rows.map((r) => html`<tr>${r.map((v) => html`<td class="mono">${cell(v)}</td>`)}</tr>`)}</tbody></table>
    </div>`}
  </section>`;
}
