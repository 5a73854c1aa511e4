import { start } from 'hearth';

// This tab becomes a host for Durable Objects; the config and the Worker come from hearth() in vite.config.ts.
const runtime = await start();
const counter = runtime.env.COUNTER.getByName('main');

const count = document.querySelector<HTMLOutputElement>('#count')!;
const fetched = document.querySelector<HTMLOutputElement>('#fetched')!;

// A call straight to the object (JS RPC), from whichever tab: one instance answers them all.
document.querySelector('#increment')!.addEventListener('click', async () => {
  count.textContent = String(await counter.increment());
});

// A plain fetch(): the Worker's fetch handler answers it, in a service worker (the routes in wrangler.jsonc).
document.querySelector('#fetch')!.addEventListener('click', async () => {
  const response = await fetch('/api/count');
  fetched.textContent = `${response.status} ${await response.text()}`;
});

count.textContent = String(await counter.count());
document.body.dataset.ready = 'true';
