/**
 * The page every end-to-end test drives: starts Hearth with the test app and
 * exposes a few helpers on `window.hearth` for `page.evaluate`.
 */
import { start } from '../../src/index.ts';
import config from './wrangler.jsonc';
import { reportReady } from '../page-ready.ts';

const params = new URLSearchParams(location.search);
const overrides = params.get('hearth') ? JSON.parse(params.get('hearth')!) : {};
const limits = params.get('limits') ? JSON.parse(params.get('limits')!) : undefined;
/** `?observability=<json>`: the config's `observability` key. */
const observability = params.get('observability') ? JSON.parse(params.get('observability')!) : undefined;
/** `?config=<json>` replaces the whole Wrangler config (to reload with other migrations); `?version=<json>` is the app version. */
const baseConfig = params.get('config') ? JSON.parse(params.get('config')!) : config;
const version = params.get('version') ? JSON.parse(params.get('version')!) : undefined;
/** `?env=<name>`: run that `[env.<name>]` environment of the config. */
const envName = params.get('env') ?? undefined;

async function boot() {
  const runtime = await start({
    config: { ...baseConfig, hearth: { ...baseConfig.hearth, ...overrides }, ...(limits ? { limits } : {}), ...(observability ? { observability } : {}) },
    main: new URL('./worker.ts', import.meta.url),
    ...(version ? { version } : {}),
    ...(envName ? { env: envName } : {}),
  });

  const stub = (binding: string, name: string) => runtime.env[binding].getByName(name);
  const sockets: { ws: any; messages: unknown[]; closes: { code: number; reason: string; wasClean: boolean }[] }[] = [];

  const helpers = {
    runtime,
    stub,
    async fetch(binding: string, name: string, path: string, init?: RequestInit) {
      const response = await stub(binding, name).fetch(`https://object.test${path}`, init);
      return { status: response.status, statusText: response.statusText, text: await response.text(), headers: [...response.headers] };
    },
    async json(binding: string, name: string, path: string) {
      const response = await stub(binding, name).fetch(`https://object.test${path}`);
      return response.json();
    },
    /** Run `code` (a function source taking (storage, ctx, self)) inside the object. */
    async probe(name: string, code: string, binding = 'PROBE') {
      const response = await stub(binding, name).fetch('https://probe.test/', { method: 'POST', body: code });
      return response.json();
    },
    /** Upgrade through a stub, accept the socket, and keep what it receives (see `socket`). */
    async openSocket(binding: string, name: string, path: string) {
      const response = await stub(binding, name).fetch(`https://object.test${path}`, { headers: { Upgrade: 'websocket' } });
      const ws = (response as unknown as { webSocket: any }).webSocket;
      const log = { ws, messages: [] as unknown[], closes: [] as { code: number; reason: string; wasClean: boolean }[] };
      ws.addEventListener('message', (e: MessageEvent) => log.messages.push(e.data));
      ws.addEventListener('close', (e: CloseEvent) => log.closes.push({ code: e.code, reason: e.reason, wasClean: e.wasClean }));
      ws.accept();
      const id = sockets.length;
      sockets.push(log);
      return id;
    },
    socket(id: number) {
      return sockets[id]!;
    },
    /** Turn a rejection into data the test can assert on. */
    async settle<T>(promise: Promise<T>) {
      try {
        return { ok: true, value: await promise };
      } catch (error) {
        const e = error as Error & Record<string, unknown>;
        return { ok: false, error: { ...e, name: e?.name, message: e?.message, ctor: e?.constructor?.name } };
      }
    },
  };
  Object.assign(window, { hearth: helpers });
}

reportReady(boot());
