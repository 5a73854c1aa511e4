/**
 * The page `npm run bench` drives: starts Hearth with the bench app and puts
 * the measurements on `window.bench` for `page.evaluate`. Every measurement
 * returns raw samples (ms); bench/run.mjs does the statistics.
 *
 * The Durable Object rows run driver.js, the same loops the workerd peer runs
 * inside its Worker, with `runtime.env` as the env and the page as the caller.
 *
 * Timer note: this page is not cross-origin isolated (like a normal app), so
 * Chromium clamps `performance.now()` to 0.1 ms with jitter. Per-request
 * samples are therefore quantised to 0.1 ms; the sub-0.1 ms floor is timed in
 * batches instead.
 */
import { start, type Runtime } from '../../src/index.ts';
import { setSpareWorkers, setStagedPools, setStartTimings, type StartTiming } from '../../src/host/object-host.ts';
import { drive, sequential, type Op, type Samples } from './driver.js';
import sqliteWasmUrl from '@sqlite.org/sqlite-wasm/sqlite3.wasm?url';

export type { Samples };

export interface Bench {
  runtime: Runtime;
  info(): { userAgent: string; hardwareConcurrency: number; crossOriginIsolated: boolean };
  /** One of driver.js's loops, with this page as the caller. */
  op(op: Op, params: Record<string, unknown>): Promise<Samples>;
  /** Hearth workers alive now (spares included) and objects among them, and the most alive at once since `resetPeak`. */
  workers(): { live: number; peak: number; objects: number; peakObjects: number };
  resetPeak(): void;
  /** How many spare workers the host keeps (1 by default; 0 for the no-spare comparison). */
  setSpares(count: number): void;
  /** Whether spares make a pool ahead for a brand-new object (on by default; off for the A/B). */
  setStagedPools(on: boolean): void;
  /** Part of a cold start: spawn a worker and load the object worker's module graph, `n` times. */
  spawn(n: number): Promise<Samples>;
  /** Start `n` workers that load the object worker's module graph and keep them (for memory); `release` ends them. */
  holdSpawned(n: number): Promise<void>;
  /** Hold `n` workers each stopped after one stage of a spare's start (memory-stage.worker.ts); `releaseSpawned` ends them. */
  holdStage(stage: 'empty' | 'wasmOnly' | 'glue' | 'instance' | 'smallHeap' | 'database', n: number): Promise<void>;
  releaseSpawned(): void;
  /** postMessage round trips page ↔ a trivial dedicated worker, timed in batches. */
  floor(n: number, warmup: number, batch: number): Promise<Samples>;
  /**
   * Wake of a hibernated object: a socket to a Room; before each sample, wait
   * until the room's worker is gone (hibernated, sockets open), then time one
   * message round trip, which starts the object again. Run it in a page with a
   * short idle timeout (`?idleTimeoutMs=1000`).
   */
  wake(name: string, n: number): Promise<Samples>;
  /**
   * The cold-start profile: `n` first requests to new Counters, `gapMs` apart, each with the host's and the
   * worker's step marks (object-host.ts `setStartTimings`) and the page's own start and answer.
   */
  coldProfile(prefix: string, n: number, gapMs: number): Promise<{ total: number; spare: boolean; steps: [string, number][] }[]>;
  /**
   * The warm-call profile: round trips per second of a bare echo worker with one message back, with two
   * (an acknowledgement first, as Hearth's `accepted`), with Hearth's call envelope as the message, and of
   * Hearth's own no-storage call, and of Hearth calls that read (`Counter.read`) and that read and write
   * (`Counter.increment`), interleaved `rounds` times.
   */
  callProfile(name: string, n: number, rounds: number): Promise<Record<string, number[]>>;
  /**
   * The edge's floor: `fetch()` answered by a bare service worker (public/bare-sw/sw.js, scope /bare-sw/)
   * with no Worker or object behind it, from a frame it controls (a page has one controller: this page's
   * is Hearth's edge), one at a time after `warmup`.
   */
  swFloor(n: number, warmup: number): Promise<Samples>;
  /** The storage part of a cold start with raw sqlite-wasm: a new pool vs one installed ahead (pool-floor.worker.ts). */
  poolFloor(rounds: number): Promise<{ rtt: number[]; newPool: number[]; preinstalled: number[]; staged: number[] }>;
  /** Raw sqlite-wasm on opfs-sahpool in a worker: bulk inserts in one transaction and autocommits. */
  sqliteFloor(inserts: number, commits: number): Promise<{ insertMs: number; commitMs: number }>;
  /** What point-in-time recovery's capture costs a commit, raw sqlite-wasm (pitr-floor.worker.ts): µs per commit per variant. */
  pitrFloor(rounds: number, commits: number): Promise<Record<string, number[]>>;
  /**
   * The edge's profile: fetches per second, interleaved `rounds` times, of the bare service worker (from its
   * frame), of the edge with the Worker answering by itself (`/edge/ping`), of the edge calling the object
   * (`/edge/increment`), and of this page's own `stub.fetch` to that object.
   */
  edgeProfile(name: string, n: number, rounds: number): Promise<Record<string, number[]>>;
}

declare global {
  interface Window {
    bench: Bench;
  }
}

/**
 * Count Hearth's workers by wrapping the `Worker` constructor before Hearth
 * starts: Hearth names every worker it creates "hearth …" and ends each with
 * `terminate()` (or `exit`, after which it ends itself). A worker counts as an *object* once it has said `ready`
 * (it holds its object's lock and has its database open); spare workers
 * waiting for an assignment count only as workers. The peaks come from here,
 * not from Hearth's own bookkeeping, so stopping and spare workers count too.
 */
function countWorkers() {
  const Native = window.Worker;
  const state = { live: 0, peak: 0, objects: 0, peakObjects: 0 };
  class Counted extends Native {
    #worker = false;
    #object = false;
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      if (!options?.name?.startsWith('hearth ')) return;
      this.#worker = true;
      state.peak = Math.max(state.peak, ++state.live);
      this.addEventListener('message', (event: MessageEvent) => {
        if (this.#worker && !this.#object && (event.data as { type?: unknown })?.type === 'ready') {
          this.#object = true;
          state.peakObjects = Math.max(state.peakObjects, ++state.objects);
        }
      });
    }
    override terminate(): void {
      this.#ended();
      super.terminate();
    }
    // A stopped object worker is sent `exit` and ends itself (object-host.ts `#retire`); terminate() follows later.
    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      super.postMessage(message, transfer as Transferable[]);
      if ((message as { type?: unknown })?.type === 'exit') this.#ended();
    }
    #ended(): void {
      if (this.#worker) state.live--;
      if (this.#object) state.objects--;
      this.#worker = this.#object = false;
    }
  }
  window.Worker = Counted;
  return state;
}

async function boot() {
  const workers = countWorkers();
  // `?idleTimeoutMs=…` overrides Hearth's idle eviction for this page (the 1,000-object row uses it).
  const idleTimeoutMs = Number(new URLSearchParams(location.search).get('idleTimeoutMs')) || undefined;
  // `?maxLive=…`: a smaller live-object bound, so the profile sees evictions in a short sweep.
  const maxLiveObjectsPerHost = Number(new URLSearchParams(location.search).get('maxLive')) || undefined;
  // `?durability=full` runs this page's objects with synchronous=FULL (the durable-writes row's FULL twin).
  const durability = new URLSearchParams(location.search).get('durability') === 'full' ? ('full' as const) : undefined;
  const settings = {
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
    ...(maxLiveObjectsPerHost ? { maxLiveObjectsPerHost } : {}),
    ...(durability ? { durability } : {}),
  };
  // The hearth() plugin (vite.config.ts beside this page) supplies the config and worker.js.
  const runtime = await start(Object.keys(settings).length ? { hearth: settings } : undefined);
  const held: Worker[] = [];

  const bench: Bench = {
    runtime,
    info: () => ({
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: globalThis.crossOriginIsolated,
    }),

    op: (op, params) => drive(op, runtime.env, params, () => performance.now()),

    setSpares: setSpareWorkers,
    setStagedPools,
    workers: () => ({ ...workers }),
    resetPeak: () => {
      workers.peak = workers.live;
      workers.peakObjects = workers.objects;
    },

    async spawn(n) {
      const samples = new Array<number>(n);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const worker = new Worker(new URL('./spawn.worker.ts', import.meta.url), { type: 'module', name: `bench spawn ${i}` });
        await firstMessage(worker, 'spawn');
        samples[i] = performance.now() - t;
        worker.terminate();
      }
      return { samples, perSample: 1, totalMs: performance.now() - t0 };
    },

    async holdSpawned(n) {
      for (let i = 0; i < n; i++) {
        const worker = new Worker(new URL('./spawn.worker.ts', import.meta.url), { type: 'module', name: `bench held ${i}` });
        await firstMessage(worker, 'spawn');
        held.push(worker);
      }
    },
    async holdStage(stage, n) {
      const module = await sqliteModule(stage === 'smallHeap');
      for (let i = 0; i < n; i++) {
        const worker = new Worker(new URL('./memory-stage.worker.ts', import.meta.url), { type: 'module', name: `bench ${stage} ${i}` });
        await firstMessage(worker, 'memory-stage', { stage, module });
        held.push(worker);
      }
    },
    releaseSpawned() {
      for (const worker of held.splice(0)) worker.terminate();
    },

    async floor(n, warmup, batch) {
      const worker = new Worker(new URL('./echo.worker.ts', import.meta.url), { type: 'module' });
      try {
        let pending: (() => void) | undefined;
        worker.onmessage = () => pending!();
        const roundTrip = (i: number) =>
          new Promise<void>((resolve) => {
            pending = resolve;
            worker.postMessage(i);
          });
        for (let i = 0; i < warmup; i++) await roundTrip(i);
        const samples: number[] = [];
        const t0 = performance.now();
        for (let i = 0; i < n; i += batch) {
          const t = performance.now();
          for (let j = 0; j < batch; j++) await roundTrip(i + j);
          samples.push((performance.now() - t) / batch);
        }
        return { samples, perSample: batch, totalMs: performance.now() - t0 };
      } finally {
        worker.terminate();
      }
    },

    async wake(name, n) {
      const response = await runtime.env.ROOM.getByName(name).fetch('https://bench.test/socket', { headers: { Upgrade: 'websocket' } });
      const ws = (response as unknown as { webSocket: any }).webSocket;
      ws.accept();
      let pending: () => void = () => {};
      ws.addEventListener('message', () => pending());
      const roundTrip = () =>
        new Promise<void>((resolve) => {
          pending = resolve;
          ws.send('echo');
        });
      await roundTrip();
      const samples: number[] = [];
      let totalMs = 0;
      for (let i = 0; i < n; i++) {
        while ((await runtime.inspect()).live.some((entry) => entry.name === name)) await new Promise((r) => setTimeout(r, 100));
        const t = performance.now();
        await roundTrip();
        samples.push(performance.now() - t);
        totalMs += samples.at(-1)!;
      }
      ws.close(1000);
      return { samples, perSample: 1, totalMs };
    },

    async coldProfile(prefix, n, gapMs) {
      const out: { total: number; spare: boolean; steps: [string, number][] }[] = [];
      let last: StartTiming | undefined;
      setStartTimings((timing) => (last = timing));
      try {
        for (let i = 0; i < n; i++) {
          if (gapMs) await new Promise((resolve) => setTimeout(resolve, gapMs));
          last = undefined;
          const t0 = performance.timeOrigin + performance.now();
          const response = await runtime.env.COUNTER.getByName(`${prefix}-${i}`).fetch('https://bench.test/increment');
          await response.text();
          const t1 = performance.timeOrigin + performance.now();
          if (!last) throw new Error('no start timing was reported');
          const timing = last as StartTiming;
          // Durations between consecutive marks; a spare's spawn and evaluation happened before the request.
          const marks = [['request', t0] as [string, number], ...timing.marks.filter(([, at]) => at >= t0), ['answered', t1] as [string, number]];
          const steps = marks.slice(1).map(([step, at], k) => [step, at - marks[k]![1]] as [string, number]);
          out.push({ total: t1 - t0, spare: timing.spare, steps });
        }
      } finally {
        setStartTimings(undefined);
      }
      return out;
    },

    async callProfile(name, n, rounds) {
      const worker = new Worker(new URL('./echo.worker.ts', import.meta.url), { type: 'module' });
      const stub = runtime.env.NOOP.getByName(name);
      const counter = runtime.env.COUNTER.getByName(name);
      await Promise.all([stub.ping(), counter.read()]);
      try {
        let pending: (() => void) | undefined;
        let expect = 1;
        let got = 0;
        worker.onmessage = () => {
          if (++got === expect) pending!();
        };
        const send = (message: unknown, replies: number) =>
          new Promise<void>((resolve) => {
            pending = resolve;
            got = 0;
            expect = replies;
            worker.postMessage(message);
          });
        const envelope = { t: 'call', cid: 1, payload: { kind: 'rpc', target: 0, path: ['ping'], args: { t: 'a', v: [] } } };
        const loop = async (call: (i: number) => Promise<unknown>) => {
          for (let i = 0; i < 50; i++) await call(i);
          const t = performance.now();
          for (let i = 0; i < n; i++) await call(i);
          return n / ((performance.now() - t) / 1000);
        };
        const out = {
          echo: [] as number[],
          echoAck: [] as number[],
          echoEnvelope: [] as number[],
          hearthPing: [] as number[],
          hearthRead: [] as number[],
          hearthIncrement: [] as number[],
        };
        for (let r = 0; r < rounds; r++) {
          await send({ mode: 'plain' }, 1);
          out.echo.push(await loop((i) => send(i, 1)));
          out.echoEnvelope.push(await loop((i) => send({ ...envelope, cid: i }, 1)));
          await send({ mode: 'ack' }, 1);
          out.echoAck.push(await loop((i) => send({ ...envelope, cid: i }, 2)));
          out.hearthPing.push(await loop(() => stub.ping()));
          // The same call with a read (`get`), then with a read and a write (`get` + `put` + its commit).
          out.hearthRead.push(await loop(() => counter.read()));
          out.hearthIncrement.push(await loop(() => counter.increment()));
        }
        return out;
      } finally {
        worker.terminate();
      }
    },

    async swFloor(n, warmup) {
      return withBareServiceWorker((fetchBare) => sequential(() => performance.now(), n, warmup, fetchBare));
    },

    async edgeProfile(name, n, rounds) {
      return withBareServiceWorker(async (fetchBare) => {
        const edge = async (path: string) => {
          const response = await fetch(path);
          const text = await response.text();
          if (!response.ok) throw new Error(`HTTP ${response.status}: ${text}`);
        };
        const stub = runtime.env.COUNTER.getByName(name);
        const noop = runtime.env.NOOP.getByName(name);
        // Calls made inside one edge request, per call: what the service worker's own path to an object costs.
        const inside = async (path: string) => {
          const t = performance.now();
          await edge(`${path}?name=${encodeURIComponent(name)}&n=200`);
          return 200 / ((performance.now() - t) / 1000);
        };
        const loops: Record<string, () => Promise<unknown>> = {
          bareServiceWorker: fetchBare,
          edgeWorkerOnly: () => edge('/edge/ping'),
          edgeToObject: () => edge(`/edge/increment?name=${encodeURIComponent(name)}`),
          pageStubFetch: async () => (await stub.fetch('https://counter/')).text(),
          pagePing: () => noop.ping(),
        };
        const out: Record<string, number[]> = Object.fromEntries(Object.keys(loops).map((k) => [k, []]));
        for (let r = 0; r < rounds; r++) {
          for (const [key, call] of Object.entries(loops)) {
            for (let i = 0; i < 20; i++) await call();
            const t = performance.now();
            for (let i = 0; i < n; i++) await call();
            out[key]!.push(n / ((performance.now() - t) / 1000));
          }
          // The page's own stub.fetch again, each after the object has been idle for 5 ms, as between edge fetches.
          let busy = 0;
          for (let i = 0; i < 100; i++) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            const t = performance.now();
            await loops.pageStubFetch!();
            busy += performance.now() - t;
          }
          (out.pageStubFetchAfterIdle ??= []).push(100 / (busy / 1000));
          (out.edgeInsidePing ??= []).push(await inside('/edge/object-pings'));
          (out.edgeInsideFetch ??= []).push(await inside('/edge/object-fetches'));
        }
        return out;
      });
    },

    poolFloor(rounds) {
      return askFloorWorker(new Worker(new URL('./pool-floor.worker.ts', import.meta.url), { type: 'module' }), { rounds });
    },

    pitrFloor(rounds, commits) {
      return askFloorWorker(new Worker(new URL('./pitr-floor.worker.ts', import.meta.url), { type: 'module' }), { rounds, commits });
    },

    sqliteFloor(inserts, commits) {
      return askFloorWorker(new Worker(new URL('./sqlite-floor.worker.ts', import.meta.url), { type: 'module' }), { inserts, commits });
    },
  };

  Object.assign(window, { bench });
  document.body.dataset.ready = 'true';
}

/**
 * SQLite's module compiled in the page, as Hearth's host compiles it; with `smallHeap`, from a copy whose memory
 * import asks for 16 pages (1 MB) where the build asks for 128 (8 MB): a smaller `INITIAL_MEMORY` than the one
 * the module declares fails to link.
 */
async function sqliteModule(smallHeap: boolean): Promise<WebAssembly.Module> {
  const bytes = new Uint8Array(await (await fetch(sqliteWasmUrl)).arrayBuffer());
  if (smallHeap) {
    // The import entry: "env" "memory", kind 2 (memory), flags 1 (has a maximum), minimum 128 as LEB128 (0x80 0x01).
    const entry = [3, ...new TextEncoder().encode('env'), 6, ...new TextEncoder().encode('memory'), 2, 1, 0x80, 0x01];
    const at = bytes.findIndex((_, i) => entry.every((b, j) => bytes[i + j] === b));
    if (at < 0) throw new Error('sqlite3.wasm: memory import not found');
    bytes.set([0x90, 0x00], at + entry.length - 2); // 16, padded to the same two bytes
  }
  return WebAssembly.compile(bytes);
}

/** Until the worker's first message (it says it is ready), after posting it `message` if one is given. */
function firstMessage(worker: Worker, what: string, message?: unknown): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event) => reject(new Error(`${what} worker failed: ${event.message}`));
    if (message !== undefined) worker.postMessage(message);
  });
}

/** Post `message` to a floor worker (raw sqlite-wasm, nothing of Hearth), wait for its one answer, end it. */
async function askFloorWorker<T>(worker: Worker, message: unknown): Promise<T> {
  try {
    const result = await new Promise<T & { error?: string }>((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`a floor worker failed: ${event.message}`));
      worker.postMessage(message);
    });
    if (result.error) throw new Error(result.error);
    return result;
  } finally {
    worker.terminate();
  }
}

/**
 * Run `use` with a fetch answered by the bare service worker (public/bare-sw/sw.js, scope /bare-sw/): from a
 * frame it controls, since this page's controller is Hearth's edge.
 */
async function withBareServiceWorker<T>(use: (fetchBare: () => Promise<void>) => Promise<T>): Promise<T> {
  const registration = await navigator.serviceWorker.register('/bare-sw/sw.js', { scope: '/bare-sw/' });
  const worker = registration.installing ?? registration.waiting ?? registration.active;
  if (worker && worker.state !== 'activated') {
    await new Promise<void>((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
  }
  const frame = document.createElement('iframe');
  frame.src = '/bare-sw/frame.html';
  await new Promise((resolve) => {
    frame.onload = resolve;
    document.body.append(frame);
  });
  try {
    const inner = frame.contentWindow as Window & typeof globalThis;
    if (!inner.navigator.serviceWorker.controller) throw new Error('the bare service worker does not control its frame');
    // The frame's own fetch: its client is the frame, so the bare service worker answers.
    return await use(async () => {
      const response = await inner.fetch('/bare-sw/ping');
      if ((await response.text()) !== '1') throw new Error('the bare service worker did not answer');
    });
  } finally {
    frame.remove();
  }
}

boot().catch((error) => {
  document.body.dataset.ready = 'error';
  document.body.dataset.error = `${error?.name}: ${error?.message}`;
  console.error(error);
});
