/**
 * `start()`: turn this page into a Hearth *host* and give app code its `env`.
 *
 * Order matters:
 *  1. take the host lock (`hostLockName`) and hold it for the page's life — the
 *     coordinator learns this tab died when it can take that lock, so the lock
 *     must be ours before the coordinator ever hears of us;
 *  2. compile the SQLite wasm once (each object worker instantiates it);
 *  3. say hello to the coordinator and wait for its welcome. The link
 *     outlives the coordinator itself: see coordinator-link.ts.
 */
import wasmUrl from '@sqlite.org/sqlite-wasm/sqlite3.wasm?url';
import { normalizeConfig, withHearthSettings, type NormalizedConfig, type WranglerConfig } from '../config.ts';
import { deserializeError, serializeError, type SerializedError } from '../errors.ts';
import { createEnv, strictEnv } from '../caller/env.ts';
import { objectKey, type CoordinatorToHost, type DirectoryEntry, type AppVersion, type GateEvent, type HostToCoordinator, type ObjectAddress, type RegistryEntry, type AlarmEntry } from '../protocol.ts';
import { ConnectionPool } from '../caller/connection-pool.ts';
import { ObjectHost, type LiveObject } from './object-host.ts';
import { portEndpoint, type Endpoint, type Resolution } from '../caller/object-connection.ts';
import { linkEdge, type EdgeLink } from './edge-link.ts';
import { linkDevtools } from './devtools-link.ts';
import { telemetryHooks } from './telemetry-hooks.ts';
import type { LogRecord, MetricsRecord } from '../telemetry.ts';
import { CoordinatorLink } from './coordinator-link.ts';
import { HostWatch } from './host-watch.ts';
import { leaderTab } from './leader-tab.ts';
import { fitAccessHandleBudget } from './access-handle-budget.ts';
import { requestPersistence, type RuntimeStorage } from './storage-persistence.ts';
import type { AppSource } from '../app-source.ts';
import { socketContext } from '../websocket/socket-context.ts';
import { PageWebSocket } from '../websocket/page-websocket.ts';
import { COORDINATOR_NAME, EDGE_SETTINGS_PARAM, hostLockName } from '../names.ts';

/**
 * With the `hearth()` Vite plugin, `start()` needs no options: the config and
 * the app's code come from the plugin. Without it (or to run other code),
 * give the config and either `main` or `modules`.
 */
export interface StartOptions {
  /** The app's Wrangler configuration (the parsed `wrangler.jsonc`). */
  config?: WranglerConfig;
  /** URL of the Worker's main module, which exports the Durable Object classes. */
  main?: string | URL;
  /** The Worker's modules as source text, by file name (the playground's way). */
  modules?: Record<string, string>;
  /** Which entry of `modules` is the main module: default the config's `main`, else the first. */
  mainModule?: string;
  /** Which deployment this is (the Vite plugin stamps one per build or edit); tabs without one all count as the same. */
  version?: AppVersion;
  /** Hearth's own settings, over the config's `hearth` key (e.g. `{ idleTimeoutMs }`). */
  hearth?: WranglerConfig['hearth'];
  /** The `[env.<name>]` environment of `config` to run (wrangler's `--env`). With the Vite plugin, use `hearth({ env })`. */
  env?: string;
}

export interface Inspection {
  hostId: string;
  coordinatorId: string;
  live: DirectoryEntry[];
  registry: RegistryEntry[];
  /** Every scheduled alarm: when it is due, and how many times it has failed so far. */
  alarms: AlarmEntry[];
}

/** One gate record of one object this tab hosts (`key`: `<namespaceKey>:<id>`). */
export interface ObservedGateEvent {
  key: string;
  event: GateEvent;
}

export interface Runtime {
  readonly env: Record<string, any>;
  readonly hostId: string;
  readonly config: NormalizedConfig;
  /** The coordinator's view: live objects (with the tab hosting each) and every object ever created. */
  inspect(): Promise<Inspection>;
  /**
   * Watch the gates of every object this tab hosts, now and later: what
   * arrived, waited at the input gate, was delivered, read and wrote, was
   * committed, held at the output gate and replied (`GateEvent`). Returns the
   * way to stop; with no listener left, objects stop reporting.
   */
  observe(listener: (record: ObservedGateEvent) => void): () => void;
  /**
   * Every `console` line of the objects this tab hosts, as it is written, after
   * `observability` (disabled: none; `head_sampling_rate`: a sample), tagged
   * with its object's jurisdiction; lines of objects outside
   * `hearth.metadata_boundary` are not given. Returns the way to stop.
   */
  onLog(listener: (record: LogRecord) => void): () => void;
  /**
   * Each second, per object this tab hosts that did anything: requests,
   * errors, storage reads and writes, commits, wall time, alarm runs, socket
   * messages and size, tagged and bounded like `onLog`. Returns the way to stop
   * (with no listener left, objects stop reporting their gates for it).
   */
  onMetrics(listener: (record: MetricsRecord) => void): () => void;
  /** Stop this page's objects gracefully and leave; everything pending settles (see `close` in start()). */
  close(): Promise<void>;
  /**
   * A browser-standard `WebSocket` for same-origin URLs under `hearth.routes`,
   * answered by the Worker's `fetch` with an upgrade request (README: WebSockets).
   */
  readonly WebSocket: typeof PageWebSocket;
  /**
   * Where the coordinator runs: the origin's SharedWorker, or a lock-elected
   * tab where there is none (or `hearth.coordinator` says so). See README:
   * "Without SharedWorker".
   */
  readonly coordinator: 'shared-worker' | 'leader-tab';
  /** Whether the browser keeps this origin's storage under pressure, and how much is used (README: Storage that stays). */
  readonly storage: RuntimeStorage;
  /** `await using runtime = await start()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void>;
}

declare global {
  interface SymbolConstructor {
    /**
     * Explicit resource management (`await using`): in Chromium since 134 and
     * Node since 20.4, but not in the ES2023 library this project compiles against.
     */
    readonly asyncDispose: unique symbol;
  }
}

export class UnsupportedBrowserError extends Error {
  override name = 'UnsupportedBrowserError';
}

function checkBrowser(): void {
  const missing: string[] = [];
  // Without SharedWorker the coordinator runs in a leader tab, which needs the relay service worker (leader-tab.ts).
  if (typeof SharedWorker === 'undefined' && !navigator.serviceWorker) missing.push('SharedWorker (or service workers, for a leader tab)');
  if (!navigator.locks) missing.push('Web Locks (navigator.locks)');
  if (!navigator.storage?.getDirectory) {
    missing.push('the Origin Private File System (navigator.storage.getDirectory; Safari has none in private windows)');
  }
  if (missing.length) {
    throw new UnsupportedBrowserError(
      `Hearth cannot run here: this browser lacks ${missing.join(', ')}. Durable Object storage is never emulated in memory.`,
    );
  }
}

function holdHostLock(hostId: string): Promise<() => void> {
  return new Promise((granted) => {
    void navigator.locks.request(hostLockName(hostId), () => new Promise<void>((release) => granted(release)));
  });
}

interface AppSetup {
  /** Normalised once: by the Vite plugin, or here for a config given to `start()`; `hearth` overrides applied. */
  config: NormalizedConfig;
  app: AppSource;
  version: AppVersion;
  edge?: { url: string; scope: string; offline: boolean };
}

async function setUp(options: StartOptions | undefined): Promise<AppSetup> {
  const version = options?.version ?? { id: 'unversioned', builtAt: 0 };
  if (!options?.config) {
    if (options?.main !== undefined || options?.modules !== undefined) {
      throw new TypeError('start(): `main` and `modules` need a `config` to go with them.');
    }
    const plugin = await import('virtual:hearth/config');
    return {
      config: withHearthSettings(plugin.config, options?.hearth, plugin.configPath),
      app: { kind: 'bundled' },
      version: options?.version ?? plugin.version,
      edge: { url: edgeScriptUrl(plugin.edgeUrl, options?.hearth), scope: plugin.scope, offline: plugin.precache.length > 0 },
    };
  }
  const config = withHearthSettings(
    normalizeConfig(options.config, 'config', options.env ? { env: options.env } : {}),
    options.hearth,
    'config',
  );
  if (options.modules !== undefined) {
    const names = Object.keys(options.modules);
    const main = options.mainModule ?? options.config.main ?? names[0];
    if (main === undefined || !(main in options.modules)) {
      throw new TypeError(`start(): the main module ${main === undefined ? 'is missing' : `"${main}" is not in \`modules\``}.`);
    }
    return { config, app: { kind: 'modules', main, modules: { ...options.modules } }, version };
  }
  if (options.main === undefined) {
    throw new TypeError('start({ config }) also needs `main` (the URL of the Worker module) or `modules` (its source text).');
  }
  return { config, app: { kind: 'url', url: new URL(options.main, location.href).href }, version };
}

/**
 * The edge's script URL, carrying `start({ hearth })` overrides: the edge
 * applies them to the plugin's record as the page does, so both serve the
 * same routes. The URL is the one thing a restarted service worker still
 * has; a page with other overrides registers another script, which replaces
 * the edge (one edge per origin: the last page started with other settings
 * decides).
 */
function edgeScriptUrl(url: string, given: WranglerConfig['hearth'] | undefined): string {
  // Where the coordinator runs and how a tab's objects sync are the page's own business: no other edge for them.
  const { coordinator: _coordinator, durability: _durability, ...overrides } = given ?? {};
  if (Object.keys(overrides).length === 0) return url;
  const withSettings = new URL(url, location.href);
  withSettings.searchParams.set(EDGE_SETTINGS_PARAM, JSON.stringify(overrides));
  return `${withSettings.pathname}${withSettings.search}`;
}

export async function start(options?: StartOptions): Promise<Runtime> {
  checkBrowser();
  const setup = await setUp(options);
  // On Safari, live objects × handles each must fit WebKit's per-origin cap (access-handle-budget.ts).
  const config = fitAccessHandleBudget(setup.config, navigator.userAgent);
  const hostId = crypto.randomUUID();
  const releaseHostLock = await holdHostLock(hostId);
  // Socket ends this page takes tell their far end to watch this lock (websocket/peer-liveness.ts).
  socketContext.holderLock = hostLockName(hostId);
  socketContext.compatibilityDate = config.compatibilityDate;
  const wasmModule = WebAssembly.compileStreaming(fetch(wasmUrl));
  // Asked once per start, never awaited here: Firefox may ask the user first.
  const storage = requestPersistence();

  const coordinatorMode = config.coordinator ?? (typeof SharedWorker === 'undefined' ? 'leader-tab' : 'shared-worker');
  if (coordinatorMode === 'shared-worker' && typeof SharedWorker === 'undefined') {
    throw new UnsupportedBrowserError('Hearth cannot run here: `hearth.coordinator` is "shared-worker", and this browser has no SharedWorker.');
  }
  if (coordinatorMode === 'leader-tab' && !navigator.serviceWorker) {
    throw new UnsupportedBrowserError(
      'Hearth cannot run here: without a SharedWorker the coordinator runs in a leader tab, whose port relay is a service worker, and this context has none (a private window?).',
    );
  }
  const leader = coordinatorMode === 'leader-tab' ? leaderTab(new URL('../../workers/relay.service-worker.ts', import.meta.url)) : undefined;

  const link = new CoordinatorLink({
    connect: () =>
      leader
        ? leader.connect()
        : new SharedWorker(new URL('../../workers/coordinator.shared-worker.ts', import.meta.url), {
            type: 'module',
            name: COORDINATOR_NAME,
          }).port,
    // A leader reached through the relay may die before it answers: connect again (leader-tab.ts). Longer than
    // the relay's own 10 s wait for a leader, and long enough that a live but busy coordinator answers first: a
    // late welcome on an abandoned port would leave the coordinator posting to it.
    ...(leader ? { welcomeTimeoutMs: 15_000 } : {}),
    // After a coordinator died, placements it asked for finish first, so the hello names them.
    hello: async () => {
      await host.placementsSettled();
      return {
        type: 'hello',
        hostId,
        objects: host.objects(),
        version: setup.version,
        script: config.name,
        migrations: config.migrations,
        classes: config.classes,
      };
    },
    receive: (message) => onCoordinatorMessage(message),
    coordinatorLost: (id) => console.warn(`[hearth] the coordinator ${id} died; re-attaching to a new one`),
  });
  const send = (message: HostToCoordinator, transfer: Transferable[] = []) => link.send(message, transfer);
  /** Questions to the coordinator: re-asked if it dies (coordinator-link.ts); `close()` rejects those still open, so none hangs. */
  const ask = <T extends CoordinatorToHost>(build: (rid: number) => HostToCoordinator): Promise<T> =>
    closed ? Promise.reject(runtimeClosed()) : link.ask<T>(build);
  /** Other tabs hosting instances this tab's callers (and its objects, and the edge) hold ports to. */
  const hostWatch = new HostWatch();
  let closed = false;

  const host = new ObjectHost({
    config,
    app: setup.app,
    wasmModule,
    createWorker: (name) =>
      new Worker(new URL('../../workers/object.worker.ts', import.meta.url), { type: 'module', name }),
    stopped: (key, epoch, error, keepsSockets) => {
      send({ type: 'stopped', key, epoch, ...(error ? { error } : {}), ...(keepsSockets ? { keepsSockets } : {}) });
      // This tab's own callers hear it at once, even while no coordinator is attached to echo it back.
      objectLost({ type: 'lost', key, epoch, ...(error ? { error } : {}) });
    },
    hostId,
    wake: async (address) => {
      const { answer, local } = await locate(address);
      if (local) return true;
      answer.port?.close();
      return false;
    },
    workerResolve: (from, rid, address, staleEpoch) => void resolveForWorker(from, rid, address, staleEpoch),
    alarm: (from, seq, time) => send({ type: 'alarm', address: from.address, epoch: from.epoch, seq, time }),
    gate: (key, event) => {
      for (const listener of gateListeners) listener({ key, event });
    },
    log: (key, level, text, at) => telemetry.log(key, level, text, at),
    stats: (address, stats) => send({ type: 'object-stats', address, ...stats }),
    socketsChanged: () => devtools.socketsChanged(),
    socketMessage: (key) => telemetry.socketMessage(key),
  });
  const gateListeners = new Set<(record: ObservedGateEvent) => void>();
  function observe(listener: (record: ObservedGateEvent) => void): () => void {
    gateListeners.add(listener);
    host.observe(true);
    return () => {
      gateListeners.delete(listener);
      if (gateListeners.size === 0) host.observe(false);
    };
  }
  // Reports gate records and logs to an open devtools page (src/devtools/), and only then.
  const devtools = linkDevtools(
    hostId,
    observe,
    { list: () => host.keptSockets(), close: (key, sid) => host.closeSocket(key, sid) },
    config.metadataBoundary,
  );
  // Logs (after `observability`) for the devtools and `onLog`; metrics for `onMetrics` (telemetry-hooks.ts).
  const telemetry = telemetryHooks({
    hostId,
    config,
    addressOf: (key) => host.addressOf(key),
    sizeOf: (key) => host.sizeOf(key),
    observe,
    keep: (key, level, text, at, jurisdiction) => devtools.log(key, level, text, at, jurisdiction),
  });

  /**
   * Ask the coordinator where an object lives, until the answer is a brokered
   * port or an instance live on this tab: one that lived here but stopped in
   * the meantime is asked for again, with its epoch marked stale.
   */
  async function locate(
    address: ObjectAddress,
    staleEpoch?: number,
  ): Promise<{ answer: Extract<CoordinatorToHost, { type: 'resolved' }>; local?: Endpoint }> {
    for (;;) {
      const answer = await ask<Extract<CoordinatorToHost, { type: 'resolved' }>>((rid) => ({
        type: 'resolve',
        rid,
        address,
        ...(staleEpoch !== undefined ? { staleEpoch } : {}),
      }));
      if (answer.hostId !== hostId) {
        // Hear of that tab's death from its lock, even if the coordinator dies along with it.
        hostWatch.watch(answer.hostId, () => objectLost({ type: 'lost', key: answer.key, epoch: answer.epoch }));
      }
      if (answer.port) return { answer };
      const local = host.localEndpoint(answer.key, answer.epoch);
      if (local) return { answer, local };
      staleEpoch = answer.epoch;
    }
  }

  async function resolveAddress(address: ObjectAddress, staleEpoch?: number): Promise<Resolution> {
    const { answer, local } = await locate(address, staleEpoch);
    return { epoch: answer.epoch, endpoint: local ?? portEndpoint(answer.port!) };
  }

  /** A direct port to an object, for a context that cannot ask the coordinator itself (an object worker, the edge). */
  async function portFor(
    address: ObjectAddress,
    staleEpoch?: number,
  ): Promise<{ epoch: number; port: MessagePort; hostId: string }> {
    const { answer } = await locate(address, staleEpoch);
    if (answer.port) return { epoch: answer.epoch, port: answer.port, hostId: answer.hostId };
    const channel = new MessageChannel();
    host.connect(answer.key, answer.epoch, channel.port1);
    return { epoch: answer.epoch, port: channel.port2, hostId: answer.hostId };
  }

  /** An object on this tab calls another object: get it a port (a worker cannot reach the SharedWorker). */
  async function resolveForWorker(from: LiveObject, rid: number, address: ObjectAddress, staleEpoch?: number) {
    try {
      const { epoch, port } = await portFor(address, staleEpoch);
      host.post(from.key, { type: 'resolved', rid, epoch, port }, [port]);
    } catch (error) {
      host.post(from.key, { type: 'resolve-failed', rid, error: serializeError(error) });
    }
  }

  const pool = new ConnectionPool({ resolve: resolveAddress });
  let edge: EdgeLink | undefined;

  /** An instance is gone: this tab's callers, its objects' own connections and the edge stop using it. */
  function objectLost(message: Extract<CoordinatorToHost, { type: 'lost' }>): void {
    pool.lost(message.key, message.epoch, message.error && deserializeError(message.error));
    host.broadcast(message);
    edge?.lost({ type: 'hearth:lost', key: message.key, epoch: message.epoch, ...(message.error ? { error: message.error } : {}) });
  }

  function onCoordinatorMessage(message: CoordinatorToHost): void {
    switch (message.type) {
      case 'place':
        host.place(message.address, message.epoch).then(
          () => send({ type: 'placed', rid: message.rid, key: objectKey(message.address), epoch: message.epoch }),
          (error: unknown) =>
            send({
              type: 'place-failed',
              rid: message.rid,
              key: objectKey(message.address),
              epoch: message.epoch,
              error: error instanceof Error ? serializeError(error) : (error as SerializedError),
            }),
        );
        return;
      case 'connect':
        host.connect(message.key, message.epoch, message.port);
        return;
      case 'alarm-recorded':
        host.alarmRecorded(message.key, message.epoch, message.seq);
        return;
      case 'stop':
        host.stop(message.key, message.epoch, message.reason);
        return;
      case 'lost':
        objectLost(message);
        return;
      case 'namespace-wiped':
        host.namespaceWiped(message.namespaceKey);
        return;
    }
  }

  await link.attach();
  // The edge runs the Worker for the configured routes, and keeps a build working offline.
  if (setup.edge && (config.routes.length > 0 || setup.edge.offline)) {
    edge = await linkEdge(setup.edge.url, setup.edge.scope, hostId, portFor);
  }

  const env = strictEnv(createEnv(config, pool), 'the Wrangler config');

  /**
   * Stop this page's objects gracefully and leave. Everything pending
   * settles: calls through this page's stubs and questions to the
   * coordinator are rejected with "Hearth runtime was closed.".
   */
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    edge?.close();
    devtools.close();
    telemetry.close();
    await host.close();
    pool.close(runtimeClosed());
    hostWatch.close();
    // Rejects every question still open with runtimeClosed()'s error, after saying goodbye.
    link.close({ type: 'goodbye', hostId });
    releaseHostLock();
  }

  return {
    env,
    hostId,
    config,
    WebSocket: PageWebSocket,
    coordinator: coordinatorMode,
    storage,
    async inspect() {
      const answer = await ask<Extract<CoordinatorToHost, { type: 'inspected' }>>((rid) => ({ type: 'inspect', rid }));
      return { hostId, coordinatorId: answer.coordinatorId, live: answer.live, registry: answer.registry, alarms: answer.alarms ?? [] };
    },
    observe,
    onLog: telemetry.onLog,
    onMetrics: telemetry.onMetrics,
    close,
    [Symbol.asyncDispose]: close,
  };
}

function runtimeClosed(): Error {
  return new Error('Hearth runtime was closed.');
}
