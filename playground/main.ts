/**
 * The playground: code typed here runs only inside object workers, through
 * `start({ config, modules })`. Each deploy is a new version, so the
 * coordinator resets objects running older code, as a Cloudflare deploy does.
 */
import { parse } from 'jsonc-parser';
import { start, type Runtime } from '../src/index.ts';

const EXAMPLE_CODE = `import { DurableObject } from 'cloudflare:workers';

// Try: edit a method, Deploy, and call it again — the count survives, the code changes.
export class Room extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS events (at INTEGER, what TEXT)');
  }

  increment(by = 1) {
    const count = (this.ctx.storage.kv.get('count') ?? 0) + by;
    this.ctx.storage.kv.put('count', count);
    this.ctx.storage.sql.exec('INSERT INTO events VALUES (?, ?)', Date.now(), 'increment ' + by);
    return count;
  }

  history() {
    return this.ctx.storage.sql.exec('SELECT what FROM events ORDER BY at DESC LIMIT 5').toArray();
  }

  async slow(ms = 3000) {
    // Deploy while this runs: the call fails with the code-update reset.
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'finished after ' + ms + ' ms';
  }

  async remindIn(ms = 2000) {
    // An alarm fires with nobody calling: close this tab after setting one, open another, and it still runs.
    await this.ctx.storage.setAlarm(Date.now() + ms);
    return this.ctx.storage.getAlarm();
  }

  async alarm(info) {
    // Throw here to watch the retries (2 s, 4 s, 8 s… with info.retryCount counting up).
    this.ctx.storage.sql.exec('INSERT INTO events VALUES (?, ?)', Date.now(), 'alarm' + (info.isRetry ? ' retry ' + info.retryCount : ''));
  }

  async fetch(request) {
    if (request.headers.get('Upgrade') === 'websocket') {
      // A WebSocket on the Hibernation API: it stays open while the object sleeps.
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    return new Response('Room ' + this.ctx.id.name + ' has count ' + (this.ctx.storage.kv.get('count') ?? 0));
  }

  webSocketMessage(ws, message) {
    ws.send('Room ' + this.ctx.id.name + ' (count ' + (this.ctx.storage.kv.get('count') ?? 0) + ') got: ' + message);
  }
}

export default { fetch: () => new Response('unused in the playground') };
`;

const EXAMPLE_CONFIG = `{
  "name": "playground",
  "main": "worker.js",
  "durable_objects": { "bindings": [{ "name": "ROOM", "class_name": "Room" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room"] }]
}
`;

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const code = $<HTMLTextAreaElement>('#code');
const config = $<HTMLTextAreaElement>('#config');
code.value = localStorage.getItem('hearth-playground-code') ?? EXAMPLE_CODE;
config.value = localStorage.getItem('hearth-playground-config') ?? EXAMPLE_CONFIG;

let runtime: Runtime | undefined;
/**
 * Calls in flight per runtime. A deploy retires the old runtime only once its calls have settled: they end
 * with Cloudflare's code-update error, which takes longer than any fixed delay on a busy machine, and
 * closing first would fail them with "Hearth runtime was closed." instead.
 */
const inFlight = new Map<Runtime, number>();
const retiring = new Set<Runtime>();

async function tracked<T>(work: (r: Runtime) => Promise<T>): Promise<T> {
  const r = runtime;
  if (!r) throw new Error('Deploy first.');
  inFlight.set(r, (inFlight.get(r) ?? 0) + 1);
  try {
    return await work(r);
  } finally {
    const left = inFlight.get(r)! - 1;
    inFlight.set(r, left);
    if (left === 0 && retiring.delete(r)) void r.close();
  }
}

function retire(old: Runtime): void {
  if (inFlight.get(old)) retiring.add(old);
  else void old.close();
}
let deploys = 0;

function log(text: string, kind: 'ok' | 'err' | 'note' = 'ok') {
  const line = document.createElement('div');
  line.className = kind;
  line.textContent = `${new Date().toLocaleTimeString()}  ${text}`;
  $('#log').prepend(line);
}

function describeError(error: unknown): string {
  const e = error as Error & { remote?: boolean; retryable?: boolean; durableObjectReset?: boolean };
  const flags = ['remote', 'retryable', 'durableObjectReset'].filter((f) => (e as any)?.[f]).join(', ');
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${flags ? `  [${flags}]` : ''}`;
}

async function deploy() {
  localStorage.setItem('hearth-playground-code', code.value);
  localStorage.setItem('hearth-playground-config', config.value);
  const previous = runtime;
  runtime = undefined;
  try {
    const parsed = parse(config.value, [], { allowTrailingComma: true });
    // Every deploy is newer than the last, in this tab and in any other tab running the playground.
    const version = { id: `playground-${Date.now()}-${++deploys}`, builtAt: Date.now() };
    const next = await start({ config: parsed, modules: { 'worker.js': code.value }, version });
    runtime = next;
    // The new version's hello already made the coordinator reset objects running the old code, so calls
    // in flight there fail with Cloudflare's code-update error; close the old runtime once that has happened.
    if (previous) setTimeout(() => retire(previous), 5_000);
    const select = $<HTMLSelectElement>('#binding');
    select.replaceChildren(
      ...next.config.bindings.map((b) => Object.assign(document.createElement('option'), { value: b.name, textContent: `env.${b.name}` })),
    );
    $('#version').textContent = `deployed ${version.id}`;
    log(`deployed: ${next.config.bindings.map((b) => `${b.name} → ${b.className}`).join(', ')}`, 'note');
  } catch (error) {
    runtime = previous;
    log(`deploy failed — ${describeError(error)}`, 'err');
  }
}

function stub(r = runtime) {
  if (!r) throw new Error('Deploy first.');
  return r.env[$<HTMLSelectElement>('#binding').value].getByName($<HTMLInputElement>('#name').value);
}

$('#deploy').addEventListener('click', () => void deploy());
$('#call').addEventListener('click', async () => {
  const method = $<HTMLInputElement>('#method').value;
  const label = `${$<HTMLInputElement>('#name').value}.${method}(${$<HTMLInputElement>('#args').value})`;
  try {
    const args = JSON.parse(`[${$<HTMLInputElement>('#args').value}]`) as unknown[];
    const result = await tracked((r) => stub(r)[method](...args));
    log(`${label} → ${JSON.stringify(result)}`);
  } catch (error) {
    log(`${label} threw ${describeError(error)}`, 'err');
  }
});
$('#fetch').addEventListener('click', async () => {
  try {
    const response = await tracked((r) => stub(r).fetch('https://object/'));
    log(`fetch → ${response.status} ${await response.text()}`);
  } catch (error) {
    log(`fetch threw ${describeError(error)}`, 'err');
  }
});

let socket: any;
$('#ws-open').addEventListener('click', async () => {
  try {
    socket?.close(1000, 'reopened');
    const response = await stub().fetch('https://object/', { headers: { Upgrade: 'websocket' } });
    socket = (response as unknown as { webSocket: any }).webSocket;
    if (!socket) throw new Error(`the object answered ${response.status}, not a WebSocket`);
    socket.addEventListener('message', (event: MessageEvent) => log(`ws ← ${event.data}`));
    socket.addEventListener('close', (event: CloseEvent) => log(`ws closed ${event.code} ${event.reason}`, 'note'));
    socket.accept();
    log('ws open', 'note');
  } catch (error) {
    log(`WebSocket failed — ${describeError(error)}`, 'err');
  }
});
$('#ws-send').addEventListener('click', () => {
  if (!socket) return log('Open the WebSocket first.', 'err');
  try {
    socket.send($<HTMLInputElement>('#ws-text').value);
  } catch (error) {
    log(`send threw ${describeError(error)}`, 'err');
  }
});

async function showLive() {
  const inspection = runtime ? await runtime.inspect() : undefined;
  const live = inspection?.live ?? [];
  $('#alarms').replaceChildren(
    ...(inspection?.alarms ?? []).map((alarm) => {
      const row = document.createElement('tr');
      const due = Math.max(0, Math.round((alarm.runAt - Date.now()) / 100) / 10);
      for (const cell of [alarm.className, alarm.name ?? '(unnamed)', new Date(alarm.scheduledTime).toLocaleTimeString(), String(alarm.retryCount), `in ${due} s`]) {
        row.append(Object.assign(document.createElement('td'), { textContent: cell }));
      }
      return row;
    }),
  );
  $('#live').replaceChildren(
    ...live.map((entry) => {
      const row = document.createElement('tr');
      const tab = entry.hostId === runtime?.hostId ? 'this tab' : entry.hostId.slice(0, 4);
      for (const cell of [entry.className, entry.name ?? '(unnamed)', tab, String(entry.epoch)]) {
        row.append(Object.assign(document.createElement('td'), { textContent: cell }));
      }
      return row;
    }),
  );
}

await deploy();
setInterval(() => void showLive().catch(() => {}), 1000);
document.body.dataset.ready = 'true';
