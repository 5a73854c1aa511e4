/**
 * The *host* role of a page: it runs object workers when the coordinator
 * places objects on this tab (a SharedWorker cannot create workers), hands
 * them the ports the coordinator brokers, and tells the coordinator when one
 * ends. It also keeps the number of live objects per tab bounded (LRU).
 */
import type { NormalizedConfig } from '../config.ts';
import { flagged, serializeError, type SerializedError } from '../errors.ts';
import {
  CODE_UPDATED_MESSAGE,
  isToCaller,
  objectKey,
  type ToCaller,
  type HostToObject,
  type ObjectAddress,
  type ObjectToHost,
  type ObjectWorkerInit,
} from '../protocol.ts';
import type { Endpoint } from './object-connection.ts';
import type { AppSource } from '../app-source.ts';

interface LiveObject {
  key: string;
  address: ObjectAddress;
  epoch: number;
  worker: Worker;
  ready: boolean;
  lastActive: number;
  lastTick: number;
  /** Where this worker's replies to this page's own calls go. */
  replyHandler?: (message: ToCaller) => void;
}

export interface HostOptions {
  config: NormalizedConfig;
  app: AppSource;
  wasmModule: Promise<WebAssembly.Module>;
  /** Tell the coordinator a worker ended; `error` is what its accepted calls should fail with. */
  stopped(key: string, epoch: number, error?: SerializedError): void;
  /** A worker asks to reach another object. */
  workerResolve(from: LiveObject, rid: number, address: ObjectAddress, staleEpoch?: number): void;
  createWorker(name: string): Worker;
}

/** How long a worker told to stop may take before it is terminated. */
const STOP_GRACE_MS = 2000;

export class ObjectHost {
  readonly #options: HostOptions;
  readonly #live = new Map<string, LiveObject>();

  constructor(options: HostOptions) {
    this.#options = options;
  }

  /** What this host runs, so a fresh coordinator can rebuild its directory. */
  objects(): { key: string; address: ObjectAddress; epoch: number }[] {
    return [...this.#live.values()].filter((o) => o.ready).map(({ key, address, epoch }) => ({ key, address, epoch }));
  }

  /** Start a worker for the object; resolves once it holds the lock and has its database open. */
  async place(address: ObjectAddress, epoch: number): Promise<void> {
    const key = objectKey(address);
    const old = this.#live.get(key);
    if (old) this.#end(old); // a stale placement on this very tab: it must not overlap
    this.#evictIfFull();
    const config = this.#options.config;
    const worker = this.#options.createWorker(`hearth ${address.className} ${address.name ?? address.id.slice(0, 12)}`);
    const live: LiveObject = { key, address, epoch, worker, ready: false, lastActive: Date.now(), lastTick: Date.now() };
    this.#live.set(key, live);
    const init: ObjectWorkerInit = {
      address,
      epoch,
      app: this.#options.app,
      config,
      wasmModule: await this.#options.wasmModule,
      idleTimeoutMs: config.idleTimeoutMs,
      lockTimeoutMs: config.lockTimeoutMs,
    };
    await new Promise<void>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<ObjectToHost | ToCaller>) => {
        const data = event.data;
        if (isToCaller(data)) {
          live.replyHandler?.(data);
          return;
        }
        switch (data.type) {
          case 'ready':
            live.ready = true;
            live.lastTick = Date.now();
            this.#watchCpu();
            resolve();
            return;
          case 'tick':
            live.lastTick = Date.now();
            return;
          case 'init-failed':
            this.#end(live);
            reject(data.error);
            return;
          case 'active':
            live.lastActive = Date.now();
            return;
          case 'stopped':
            this.#end(live);
            this.#options.stopped(key, epoch);
            return;
          case 'resolve':
            this.#options.workerResolve(live, data.rid, data.address, data.staleEpoch);
            return;
        }
      };
      worker.onerror = (event) => {
        if (!live.ready) {
          this.#end(live);
          // A module worker that fails to load gets a bare Event with no message: say where to look.
          const detail = event.message || `its module graph did not load (${event.type}); check the dev server or the build for the app's main module and workers/object.worker.ts`;
          reject(serializeError(new Error(`Object worker for ${address.className} failed to start: ${detail}`)));
        }
      };
      this.#post(live, { type: 'init', init });
    });
  }

  /** A caller in another context was given the other end of `port`. */
  connect(key: string, epoch: number, port: MessagePort): void {
    const live = this.#live.get(key);
    if (!live || live.epoch !== epoch) {
      // The object is gone: closing the port makes no call hang, the caller hears `lost`.
      port.close();
      return;
    }
    this.#post(live, { type: 'connect', port }, [port]);
  }

  /**
   * The coordinator wants this instance gone now (`update`: newer code takes
   * over). The worker fails its accepted calls and says `stopped`; one stuck
   * in code that never yields cannot, so it is terminated after a grace
   * period and its accepted calls fail with the same error. The coordinator
   * hears `stopped` either way — it waits for it before placing anew.
   */
  stop(key: string, epoch: number, reason: 'update'): void {
    const live = this.#live.get(key);
    if (!live || live.epoch !== epoch) {
      this.#options.stopped(key, epoch);
      return;
    }
    this.#post(live, { type: 'stop', reason });
    setTimeout(() => {
      if (this.#live.get(key) !== live) return;
      this.#end(live);
      const error = flagged(new Error(CODE_UPDATED_MESSAGE), { durableObjectReset: true });
      this.#options.stopped(key, epoch, serializeError(error));
    }, STOP_GRACE_MS);
  }

  /** This page's own calls to an object it hosts go straight to the worker (no port, no hop). */
  localEndpoint(key: string, epoch: number): Endpoint | undefined {
    const live = this.#live.get(key);
    if (!live || live.epoch !== epoch || !live.ready) return undefined;
    return {
      post: (message, transfer) => live.worker.postMessage(message, transfer),
      listen: (handler) => {
        live.replyHandler = handler;
      },
      close: () => {
        live.replyHandler = undefined;
      },
    };
  }

  /** Forward a message to every live worker (e.g. `lost`, for their own connections). */
  broadcast(message: HostToObject): void {
    for (const live of this.#live.values()) if (live.ready) this.#post(live, message);
  }

  post(key: string, message: HostToObject, transfer: Transferable[] = []): void {
    const live = this.#live.get(key);
    if (live) this.#post(live, message, transfer);
  }

  #post(live: LiveObject, message: HostToObject, transfer: Transferable[] = []): void {
    live.worker.postMessage(message, transfer);
  }

  /** Keep at most `maxLiveObjectsPerHost`: ask the least recently active object to stop. */
  #evictIfFull(): void {
    const max = this.#options.config.maxLiveObjectsPerHost;
    const ready = [...this.#live.values()].filter((o) => o.ready);
    if (ready.length < max) return;
    ready.sort((a, b) => a.lastActive - b.lastActive);
    for (const victim of ready.slice(0, ready.length - max + 1)) this.#post(victim, { type: 'stop', reason: 'lru' });
  }

  #cpuWatch: ReturnType<typeof setInterval> | undefined;

  /**
   * The CPU limit. Each object worker ticks twice a second from its event
   * loop; one that has not ticked for `cpuMs` is stuck in code that never
   * yields (CPU time ≈ wall time when nothing yields). It is terminated —
   * other objects are untouched, each being its own worker — and its
   * accepted calls fail with Cloudflare's error.
   */
  #watchCpu(): void {
    if (this.#cpuWatch) return;
    this.#cpuWatch = setInterval(() => {
      const now = Date.now();
      for (const live of this.#live.values()) {
        if (!live.ready || now - live.lastTick <= this.#options.config.cpuMs) continue;
        this.#end(live);
        const error = flagged(new Error('Durable Object exceeded its CPU time limit and was reset.'), {
          durableObjectReset: true,
        });
        this.#options.stopped(live.key, live.epoch, serializeError(error));
      }
      if (this.#live.size === 0) {
        clearInterval(this.#cpuWatch);
        this.#cpuWatch = undefined;
      }
    }, 250);
  }

  #end(live: LiveObject): void {
    live.worker.terminate();
    if (this.#live.get(live.key) === live) this.#live.delete(live.key);
    // Anything this page still waited for from that worker will hear `lost` from the coordinator.
  }

  /** Stop every object gracefully (runtime.close()). */
  async close(): Promise<void> {
    const all = [...this.#live.values()];
    await Promise.all(
      all.map(
        (live) =>
          new Promise<void>((resolve) => {
            if (!live.ready) {
              this.#end(live);
              return resolve();
            }
            const timer = setTimeout(() => {
              this.#end(live);
              resolve();
            }, 2000);
            live.worker.addEventListener('message', (event: MessageEvent) => {
              if ((event.data as ObjectToHost).type === 'stopped') {
                clearTimeout(timer);
                resolve();
              }
            });
            this.#post(live, { type: 'stop', reason: 'close' });
          }),
      ),
    );
  }
}

export type { LiveObject };
