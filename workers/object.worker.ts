/**
 * Entry for an object worker: one live Durable Object per dedicated worker.
 * Wires the host's messages to `ObjectRuntime`; everything else is in src/object/.
 */
import { ConnectionPool } from '../src/caller/connection-pool.ts';
import { createEnv } from '../src/caller/env.ts';
import { deserializeError, serializeError } from '../src/errors.ts';
import { captureConsole } from '../src/object/console-capture.ts';
import { HostResolver } from '../src/object/host-resolver.ts';
import { loadApp, type AppModule } from '../src/object/app-loader.ts';
import { ObjectRuntime, prepareWorkerGlobals, type CallEndpoint } from '../src/object/object-runtime.ts';
import { loadSqlite } from '../src/storage/sqlite-open.ts';
import { stagePool } from '../src/storage/staged-pool.ts';
import { provideWorkersEnv } from '../src/workers-api/context.ts';
import type { NormalizedConfig } from '../src/config-record.ts';
import { isToObject, type HostToObject, type ObjectToHost, type StartMark, type ToObject } from '../src/protocol.ts';

/** When this module graph had been evaluated (bench timing; see `ObjectWorkerInit.timing`). */
const evaluatedAt = performance.timeOrigin + performance.now();

interface DedicatedScope {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
  close(): void;
}
const scope = globalThis as unknown as DedicatedScope;
const toHost = (message: ObjectToHost, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
/** The hosting page's own calls arrive on the worker itself. */
const hostEndpoint: CallEndpoint = { postMessage: (message, transfer = []) => scope.postMessage(message, transfer) };

let runtime: ObjectRuntime | undefined;
/** What a spare evaluated ahead (`warm`), keyed by the app source it was asked for. */
let preloaded: { key: string; app: Promise<AppModule> } | undefined;
/**
 * Console lines from before `init` (the app's module evaluated in a spare) wait
 * here: the host listens to a worker only once it is assigned an object.
 */
let beforeInit: ObjectToHost[] | undefined = [];
let consoleCaptured = false;
/** Names the object in the page's console; known at `init` (a spare captures the console before it). */
let consolePrefix: string | undefined;
function captureConsoleOnce(): void {
  if (consoleCaptured) return;
  consoleCaptured = true;
  captureConsole((message) => (beforeInit ? beforeInit.push(message) : toHost(message)), () => consolePrefix);
}
const resolver = new HostResolver(toHost);
let pool: ConnectionPool | undefined;
let env: unknown;

/** The app's bindings and the pool behind them: made once, by `warm` in a spare, else at `init`. */
function bindings(config: NormalizedConfig): { env: unknown; pool: ConnectionPool } {
  // Calls to other objects are output: they wait for this object's output gate.
  pool ??= new ConnectionPool(resolver, () => runtime?.outputGate() ?? Promise.resolve());
  env ??= createEnv(config, pool);
  return { env, pool };
}

scope.onmessage = (event: MessageEvent<HostToObject | ToObject>) => {
  const message = event.data;
  if (isToObject(message)) {
    runtime?.onMessage(hostEndpoint, message);
    return;
  }
  switch (message.type) {
    case 'init': {
      const { className, name, id } = message.init.address;
      consolePrefix = `[${className} ${name ?? id.slice(0, 8)}]`;
      captureConsoleOnce();
      for (const line of beforeInit ?? []) toHost(line);
      beforeInit = undefined;
      const { env, pool } = bindings(message.init.config);
      runtime = new ObjectRuntime(message.init, toHost, env, pool);
      const marks: StartMark[] | undefined = message.init.timing
        ? [['spawned', performance.timeOrigin], ['evaluated', evaluatedAt], ['init', performance.timeOrigin + performance.now()]]
        : undefined;
      const app = preloaded?.key === JSON.stringify(message.init.app) ? preloaded.app : undefined;
      runtime.start(marks, app).then(
        () => toHost(marks ? { type: 'ready', marks } : { type: 'ready' }),
        (error: unknown) => toHost({ type: 'init-failed', error: serializeError(error) }),
      );
      return;
    }
    case 'warm': {
      // A spare: instantiate SQLite, make a pool and evaluate the app ahead; `init` reuses them (a failure
      // surfaces at init, or, for the pool, means only that none was made).
      const sqlite3 = loadSqlite(message.wasmModule);
      sqlite3.catch(() => {});
      if (message.stagePool) stagePool(sqlite3);
      captureConsoleOnce();
      prepareWorkerGlobals();
      // `env` from cloudflare:workers is there while the app's top level runs, as on Cloudflare: it is the
      // app's bindings (the same for every object), not the object's.
      provideWorkersEnv(bindings(message.config).env as Record<string, unknown>);
      const app = loadApp(message.app);
      app.catch(() => {});
      preloaded = { key: JSON.stringify(message.app), app };
      return;
    }
    case 'connect':
      runtime?.servePort(message.port);
      return;
    case 'stop':
      void runtime?.stop(message.reason);
      return;
    case 'exit':
      scope.close();
      return;
    case 'observe':
      runtime?.observe(message.on);
      return;
    case 'resolved':
      resolver.resolved(message.rid, message.epoch, message.port);
      return;
    case 'resolve-failed':
      resolver.failed(message.rid, message.error);
      return;
    case 'lost':
      pool?.lost(message.key, message.epoch, message.error && deserializeError(message.error));
      return;
    case 'ws-event':
      runtime?.onSocketEvent(message.sid, message.event);
      return;
    case 'ws-auto-ts':
      runtime?.onAutoResponse(message.sid, message.at);
      return;
    case 'alarm-recorded':
      runtime?.alarmRecorded(message.seq);
      return;
    case 'ws-disconnect':
      runtime?.disconnectSocket(message.sid, message.code, message.reason);
      return;
  }
};
