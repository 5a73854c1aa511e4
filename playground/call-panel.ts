/**
 * The call panel: RPC, `stub.fetch` and WebSocket calls to the playground's
 * objects — one, or many at once — and every result, from this tab and the
 * playground's other tabs (call-log.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../src/devtools/html.ts';
import { TAB_ID, type CallLog, type CallRecord } from './call-log.ts';
import type { Caller } from './caller.ts';

export interface CallForm {
  binding: string;
  name: string;
  method: string;
  args: string;
  times: number;
}

const SHOWN = 200;

function summary(record: CallRecord): string {
  const target = `${record.name}`;
  const outcome = record.ok ? `→ ${typeof record.value === 'string' ? record.value : JSON.stringify(record.value)}` : `threw ${record.error}`;
  switch (record.kind) {
    case 'rpc':
      return `${target}.${record.method}(${(record.args ?? []).map((a) => JSON.stringify(a)).join(', ')}) ${outcome}`;
    case 'fetch':
      return `${target} fetch ${record.method} ${outcome}`;
    case 'ws-open':
      return `${target} ws ${record.ok ? 'open' : `failed — ${record.error}`}`;
    case 'ws-send':
      return `${target} ws → ${record.ok ? String(record.value) : `send threw ${record.error}`}`;
    case 'ws-message':
      return `${target} ws ← ${String(record.value)}`;
    case 'ws-close':
      return `${target} ws closed ${String(record.value)}`;
  }
}

/** Many identical results of one batch show as one line with a count. */
function lines(records: readonly CallRecord[]): { key: string; text: string; ok: boolean; host: string; count: number }[] {
  const out: { key: string; text: string; ok: boolean; host: string; count: number; batch: string }[] = [];
  for (const r of records.slice(-SHOWN * 4)) {
    const text = summary(r);
    const last = out[out.length - 1];
    if (last && last.batch === r.batch && last.text === text) last.count++;
    else out.push({ key: r.id, text, ok: r.ok, host: r.tab, count: 1, batch: r.batch });
  }
  return out.slice(-SHOWN).reverse();
}

export function CallPanel(props: {
  form: CallForm;
  /** Change some fields. Merged into the current form, not this render's copy: several inputs can change before the next render. */
  updateForm(patch: Partial<CallForm>): void;
  /** The form as it is now (a click can come before the re-render of the last keystroke). */
  currentForm(): CallForm;
  bindings: string[];
  caller: Caller;
  log: CallLog;
  alarms: { className: string; name?: string; runAt: number; retryCount: number }[];
}) {
  const [, setVersion] = useState(0);
  useEffect(() => props.log.subscribe(() => setVersion((v) => v + 1)), [props.log]);
  const { form, caller } = props;
  const targetNow = () => {
    const now = props.currentForm();
    return { binding: now.binding, name: now.name };
  };
  const field = (key: keyof CallForm) => (e: Event) => {
    const value = (e.target as HTMLInputElement).value;
    props.updateForm({ [key]: key === 'times' ? Math.max(1, Math.min(1000, Number(value) || 1)) : value });
  };
  const call = async () => {
    const form = props.currentForm();
    const target = targetNow();
    let args: unknown[];
    try {
      args = JSON.parse(`[${form.args}]`);
    } catch {
      props.log.add({ id: crypto.randomUUID(), tab: TAB_ID, kind: 'rpc', ...target, method: form.method, batch: '', batchSize: 1, ok: false, error: `SyntaxError: arguments are JSON values separated by commas: ${form.args}`, started: Date.now(), ended: Date.now() });
      return;
    }
    await caller.rpc(target, form.method, args, form.times);
  };
  const [path, setPath] = useState('/');
  const [text, setText] = useState('hello');
  return html`<section class="panel call-panel" data-panel="call">
    <div class="call-form">
      <p>
        <select id="binding" value=${form.binding} onChange=${field('binding')}>
          ${props.bindings.map((b) => html`<option value=${b}>env.${b}</option>`)}
        </select><code>.getByName(</code><input id="name" value=${form.name} size="8" onInput=${field('name')} /><code>)</code>
      </p>
      <p>
        <code>.</code><input id="method" value=${form.method} size="10" onInput=${field('method')} /><code>(</code><input id="args" value=${form.args} size="12" title="arguments, as JSON values separated by commas" onInput=${field('args')} /><code>)</code>
        × <input id="times" type="number" min="1" max="1000" value=${form.times} title="how many calls to start at once" onInput=${field('times')} />
        <button id="call" onClick=${() => void call()}>Call</button>
      </p>
      <p>
        <code>stub.fetch(</code><input id="path" value=${path} size="8" onInput=${(e: Event) => setPath((e.target as HTMLInputElement).value)} /><code>)</code> × ${form.times}
        <button id="fetch" onClick=${() => void caller.fetch(targetNow(), path, props.currentForm().times)}>Fetch</button>
      </p>
      <p>
        <button id="ws-open" onClick=${() => void caller.openSocket(targetNow())}>Open WebSocket</button>
        <input id="ws-text" value=${text} size="10" onInput=${(e: Event) => setText((e.target as HTMLInputElement).value)} />
        <button id="ws-send" onClick=${() => caller.sendSocket(targetNow(), text)}>Send</button>
        <button onClick=${() => props.log.clear()} title="clear the results (in this tab)">Clear</button>
      </p>
    </div>
    <div id="log" aria-live="polite">
      ${lines(props.log.records).map(
        (l) => html`<div key=${l.key} class=${l.ok ? 'ok' : 'err'}>${l.count > 1 ? html`<b>${l.count} × </b>` : ''}${l.text}${l.host !== TAB_ID ? html` <span class="muted">(another tab)</span>` : ''}</div>`,
      )}
    </div>
    <h4>Scheduled alarms</h4>
    ${html`
      <table class="grid"><thead><tr><th>class</th><th>name</th><th>retries</th><th>next run</th></tr></thead>
      <tbody id="alarms">${props.alarms.map((a) => html`<tr><td>${a.className}</td><td>${a.name ?? '(unnamed)'}</td><td>${a.retryCount}</td><td>in ${Math.max(0, Math.round((a.runAt - Date.now()) / 100) / 10)} s</td></tr>`)}</tbody></table>`}
  </section>`;
}
