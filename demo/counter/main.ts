/**
 * The Counter demo: named counters, each one Durable Object, shared by every
 * tab of this origin. Open it in two tabs: both talk to the same single
 * instance, wherever it was placed, and the counts agree.
 */
import { start } from '../../src/index.ts';

// The hearth() plugin (vite.config.ts) supplies the config and the Worker.
const runtime = await start();
const tabLabel = runtime.hostId.slice(0, 4);
document.querySelector('#tab')!.textContent = tabLabel;

// Tell other tabs when a count changed; they re-read it from the object itself.
const channel = new BroadcastChannel('hearth-counter-demo');
const names = new Set<string>(JSON.parse(localStorage.getItem('hearth-demo-counters') ?? '["A","B"]'));
const list = document.querySelector<HTMLUListElement>('#counters')!;

function saveNames() {
  localStorage.setItem('hearth-demo-counters', JSON.stringify([...names]));
}

async function call(name: string, path: string): Promise<string> {
  const stub = runtime.env.Counter.get(runtime.env.Counter.idFromName(name));
  const response = await stub.fetch(`https://counter.demo${path}`);
  return response.text();
}

function row(name: string): HTMLLIElement {
  let li = list.querySelector<HTMLLIElement>(`li[data-name="${CSS.escape(name)}"]`);
  if (li) return li;
  li = document.createElement('li');
  li.dataset.name = name;
  li.innerHTML = `
    <span class="name"></span>
    <button data-op="decrement" aria-label="decrement">−</button>
    <output class="value">…</output>
    <button data-op="increment" aria-label="increment">+</button>
    <span class="host"></span>`;
  li.querySelector('.name')!.textContent = name;
  li.addEventListener('click', async (event) => {
    const op = (event.target as HTMLElement).dataset.op;
    if (!op) return;
    show(name, await call(name, `/${op}`));
    channel.postMessage(name);
    void refreshHosts();
  });
  list.append(li);
  return li;
}

function show(name: string, value: string) {
  row(name).querySelector('output')!.textContent = value;
}

async function refresh(name: string) {
  try {
    show(name, await call(name, '/'));
  } catch (error) {
    show(name, `error: ${(error as Error).message}`);
  }
}

async function refreshHosts() {
  const { live } = await runtime.inspect();
  for (const name of names) {
    const entry = live.find((e) => e.className === 'Counter' && e.name === name);
    row(name).querySelector('.host')!.textContent = !entry
      ? 'asleep (no live instance)'
      : entry.hostId === runtime.hostId
        ? 'live in this tab'
        : `live in tab ${entry.hostId.slice(0, 4)}`;
  }
}

channel.onmessage = (event) => {
  const name = String(event.data);
  if (!names.has(name)) {
    names.add(name);
    saveNames();
  }
  void refresh(name);
};

document.querySelector<HTMLFormElement>('#add')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.querySelector<HTMLInputElement>('#name')!;
  const name = input.value.trim();
  if (!name) return;
  names.add(name);
  saveNames();
  input.value = '';
  void refresh(name).then(refreshHosts);
});

// The edge: a plain fetch() to a route in wrangler.jsonc is answered by the
// Worker's own `fetch` handler, running in this origin's service worker.
for (const button of document.querySelectorAll<HTMLButtonElement>('#edge button')) {
  button.addEventListener('click', async () => {
    const response = await fetch(button.dataset.path!);
    document.querySelector('#edge output')!.textContent = `${response.status} ${await response.text()}`;
    channel.postMessage('A');
    void refresh('A');
  });
}

for (const name of names) void refresh(name);
void refreshHosts();
setInterval(refreshHosts, 1000);
document.body.dataset.ready = 'true';
