#!/usr/bin/env node
/**
 * Alarm lateness when the tab that hosts the objects is in the background.
 *
 *   xvfb-run -a node bench/alarm-background.mjs [--seconds=390] [--every=10000]
 *
 * A hidden tab's timers are throttled by Chromium (aligned to 1 s at once,
 * to 1 minute after 5 minutes hidden: "intensive throttling"). Hearth keeps
 * the alarm clock in the coordinator (a SharedWorker), whose timers are not a
 * page's, and the host tab only relays messages to its object worker. This
 * script measures it: the bench page (bench/page, dev server) opens, a second
 * tab is brought to the front so the first is hidden (`visibilityState`
 * 'hidden'), and the hidden tab then keeps an alarm armed `every` ms on one
 * object for `seconds`. Beside each alarm the hidden page also sets a plain
 * `setTimeout` for the same moment, which shows what a clock kept by a
 * hidden tab would do.
 *
 * Chromium is driven over the raw DevTools protocol, not Playwright: pages
 * Playwright drives always report 'visible' (it emulates focus) and it turns
 * background throttling off. Needs a display for a headed Chromium
 * (`xvfb-run -a node bench/alarm-background.mjs` on a server) and Node's
 * `--experimental-websocket` (Node 20; the script re-runs itself with it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH, freePort } from './chromium.mjs';
import { percentile } from './stats.mjs';

if (typeof WebSocket === 'undefined') {
  // Node 20 has WebSocket behind a flag: run again with it.
  const again = spawnSync(process.execPath, ['--experimental-websocket', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(again.status ?? 1);
}

const PAGE_CONFIG = path.join(fileURLToPath(new URL('.', import.meta.url)), 'page/vite.config.ts');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const seconds = Number(args.seconds ?? 390);
const every = Number(args.every ?? 10000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A minimal DevTools client for one page target. */
async function connect(wsUrl) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  let id = 0;
  const waiting = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    const w = waiting.get(message.id);
    if (!w) return;
    waiting.delete(message.id);
    if (message.error) w.reject(new Error(message.error.message));
    else w.resolve(message.result);
  };
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      waiting.set(++id, { resolve, reject });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    async evaluate(expression) {
      const { result, exceptionDetails } = await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
      if (exceptionDetails) throw new Error(exceptionDetails.exception?.description ?? exceptionDetails.text);
      return result.value;
    },
    close: () => ws.close(),
  };
}

const port = await freePort();
const debugPort = await freePort();
const server = await createServer({ configFile: PAGE_CONFIG, logLevel: 'warn', clearScreen: false, server: { port, strictPort: true, host: '127.0.0.1', hmr: false } });
await server.listen();
const profile = mkdtempSync(path.join(os.tmpdir(), 'hearth-background-'));
const chromium = spawn(CHROMIUM_PATH, [
  ...CHROMIUM_ARGS, '--no-default-browser-check',
  `--remote-debugging-port=${debugPort}`, `--user-data-dir=${profile}`, `http://127.0.0.1:${port}/index.html`,
], { stdio: 'ignore' });
const devtools = `http://127.0.0.1:${debugPort}`;
try {
  let target;
  for (let i = 0; i < 100 && !target; i++) {
    await sleep(300);
    const list = await fetch(`${devtools}/json/list`).then((r) => r.json()).catch(() => []);
    target = list.find((t) => t.type === 'page' && t.url.includes('/index.html'));
  }
  if (!target) throw new Error('the bench page did not open');
  const page = await connect(target.webSocketDebuggerUrl);
  for (let i = 0; i < 200; i++) {
    if ((await page.evaluate('document.body?.dataset.ready ?? ""')) === 'true') break;
    await sleep(300);
  }
  // A new tab in the same window, in front: the bench page goes to the background.
  await fetch(`${devtools}/json/new?about:blank`, { method: 'PUT' });
  await sleep(1000);
  const visibility = await page.evaluate('document.visibilityState');
  process.stderr.write(`bench page is ${visibility}; measuring for ${seconds} s, one alarm every ${every} ms…\n`);
  const result = await page.evaluate(`(async () => {
    const seconds = ${seconds}, every = ${every};
    const stub = window.bench.runtime.env.ALARM.getByName('background-' + Date.now());
    const alarms = [], timers = [];
    const end = Date.now() + seconds * 1000;
    while (Date.now() + every < end) {
      const at = Date.now() + every;
      await stub.arm(every);
      // What a clock kept by this hidden page would do: a plain setTimeout for the same moment.
      const timer = new Promise((resolve) => setTimeout(() => resolve(Date.now() - at), every));
      // The object times the alarm itself; this polling (throttled too) only collects the result.
      let late = null;
      while (late === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        late = await stub.lateness();
      }
      alarms.push(late);
      timers.push(await timer);
    }
    return { alarms, timers, visibility: document.visibilityState };
  })()`);
  page.close();
  const summary = (samples) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) };
  };
  console.log(JSON.stringify({ visibilityAtStart: visibility, visibilityAtEnd: result.visibility, seconds, every, alarmLatenessMs: summary(result.alarms), hiddenPageSetTimeoutLatenessMs: summary(result.timers), raw: result }, null, 2));
} finally {
  const exited = new Promise((resolve) => chromium.once('exit', resolve));
  chromium.kill();
  await exited;
  await server.close();
  rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}
