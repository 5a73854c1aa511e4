/**
 * The *host* role of a page: it runs object workers when the coordinator
 * places objects on this tab (a SharedWorker cannot create workers), hands
 * them the ports the coordinator brokers, and tells the coordinator when one
 * ends. It also keeps the number of live objects per tab bounded (LRU).
 *
 * Spare workers: a new worker spends most of a cold start loading its module
 * graph (~150 ms from the dev server, see docs/performance.md), none of which
 * depends on the object. So the host keeps `spareWorkers` (1) workers spawned
 * ahead, and the next placement takes one instead of spawning. A spare has
 * only loaded its modules: the object worker takes no lock and opens no
 * storage before its `init` message, which names the object, so a spare that
 * is never used has touched nothing. It does instantiate SQLite and evaluate
 * the app's module ahead (`warm`): neither depends on the object.
 */
import { hostLockName } from '../names.ts';
import { isWebKit } from './access-handle-budget.ts';
import type { NormalizedConfig } from '../config-record.ts';
import { codeUpdatedReset, flagged, serializeError, type SerializedError } from '../errors.ts';
import {
  isToCaller,
  objectKey,
  type GateEvent,
  type LogLevel,
  type ToCaller,
  type ToObject,
  type HostToObject,
  type ObjectAddress,
  type ObjectToHost,
  type ObjectWorkerInit,
  type StartMark,
} from '../protocol.ts';
import type { Endpoint } from '../caller/object-connection.ts';
import type { AppSource } from '../app-source.ts';
import { SocketKeeper } from './socket-keeper.ts';
import { autoReplyToClose } from '../websocket/socket-context.ts';
import { RESET_CLOSE, UPDATE_CLOSE } from '../websocket/socket-context.ts';
import type { AcceptedSocket, DevtoolsSocket } from '../protocol.ts';

/** What the far end of a socket the devtools close hears (the object hears a lost connection: 1006). */
const DEVTOOLS_CLOSE = { code: 1001, reason: 'Closed by Hearth DevTools.' };

/** Workers kept loaded ahead of need. One covers objects started one after another. */
let spareWorkers = 1;
/**
 * Whether spares make a pool ahead for a brand-new object (storage/staged-pool.ts). Not on WebKit: its cap on
 * open access handles is budgeted for live objects only (access-handle-budget.ts).
 */
let stagePools = !isWebKit(globalThis.navigator?.userAgent ?? '');
/** Turn pools made ahead off or on (for measurement: the bench's A/B of step 22 in docs/performance.md). */
export function setStagedPools(on: boolean): void {
  stagePools = on;
}

/**
 * Change how many spare workers hosts keep (0 turns them off). For
 * measurement: the bench compares cold starts with and without a spare in
 * one page, which is the only fair comparison on a shared, noisy machine.
 */
export function setSpareWorkers(count: number): void {
  spareWorkers = Math.max(0, Math.floor(count));
}
/** One cold start's steps on the host and in the worker (bench only; see `setStartTimings`). */
export interface StartTiming {
  className: string;
  /** The placement took a spare worker (else it spawned one). */
  spare: boolean;
  /** Each step's end, in order, on the epoch clock (`performance.timeOrigin + now()`). */
  marks: StartMark[];
}
let startTimings: ((timing: StartTiming) => void) | undefined;

/**
 * Bench only: hear every cold start's steps (host and worker). While unset,
 * workers are not asked to time anything.
 */
export function setStartTimings(sink: ((timing: StartTiming) => void) | undefined): void {
  startTimings = sink;
}
const epochNow = () => performance.timeOrigin + performance.now();

/** How long a placement waits for evicted objects to stop before it starts anyway (never hang). */
const EVICTION_WAIT_MS = 2000;

interface LiveObject {
  key: string;
  address: ObjectAddress;
  epoch: number;
  worker: Worker;
  ready: boolean;
  /** Asked to stop (evicted); its worker still runs until it says `stopped`. */
  stopping?: boolean;
  lastActive: number;
  lastTick: number;
  /** Where this worker's replies to this page's own calls go. */
  replyHandler?: (message: ToCaller) => void;
  /** Fails the placement still waiting for this worker to be ready (the host is closing). */
  abandon?: (error: Error) => void;
  /** Set from `ready` until this object's first answer to this page: then replace the spare it used. */
  afterFirstAnswer?: () => void;
}

/** A used spare is replaced after the object's first answer, or after this long if no answer comes through this page. */
const REFILL_FALLBACK_MS = 200;
/**
 * A placement that begins within this long of the previous one becoming ready is part of a burst (a sweep over
 * many objects, each touched once): then the spare is replaced at once, and the bound is kept ahead of need.
 */
const BURST_MS = 100;

export interface HostOptions {
  config: NormalizedConfig;
  app: AppSource;
  wasmModule: Promise<WebAssembly.Module>;
  /**
   * Tell the coordinator a worker ended; `error` is what its accepted calls should fail with.
   * `keepsSockets`: it hibernated, and this tab keeps its sockets.
   */
  stopped(key: string, epoch: number, error?: SerializedError, keepsSockets?: boolean): void;
  /** This tab's id (its lock tells socket peers when it dies). */
  hostId: string;
  /** Start an object again for its hibernated sockets; true if it now runs on this tab. */
  wake(address: ObjectAddress): Promise<boolean>;
  /** A worker's stored alarm changed (committed): forward it to the coordinator's schedule. */
  alarm?(from: LiveObject, seq: number, time: number | null): void;
  /** A worker asks to reach another object. */
  workerResolve(from: LiveObject, rid: number, address: ObjectAddress, staleEpoch?: number): void;
  createWorker(name: string): Worker;
  /** What an object's gates saw, while `observe(true)` is on. */
  gate?(key: string, event: GateEvent): void;
  /** An object's code wrote to `console`. */
  log?(key: string, level: LogLevel, text: string, at: number): void;
  /** An object's database size or open sockets changed (`sizeBytes` absent: not known anew). */
  stats?(address: ObjectAddress, stats: { sizeBytes?: number; sockets: number }): void;
  /** The hibernatable sockets kept on this tab changed. */
  socketsChanged?(): void;
  /** A message on a hibernatable socket went to the object `key` (for metrics). */
  socketMessage?(key: string): void;
}

/** How long a worker told to stop may take before it is terminated. */
const STOP_GRACE_MS = 2000;
/** How long a stopped worker has to reach its `exit` (see #retire). */
const RETIRE_GRACE_MS = 1000;

export class ObjectHost {
  readonly #options: HostOptions;
  readonly #live = new Map<string, LiveObject>();
  /** Loaded, unassigned workers (see the top of this file). */
  readonly #spares: Worker[] = [];
  /** Placements waiting for an evicted object's worker to end. */
  #onEnd: (() => void)[] = [];
  #closed = false;
  /** Ports of hibernatable sockets, kept across the worker's life (socket-keeper.ts). */
  readonly #sockets: SocketKeeper;
  /** Placements under way (a re-attaching tab waits for them before it says what it hosts). */
  readonly #placing = new Set<Promise<void>>();
  /** Object workers report their gate records (see `observe`). */
  #observing = false;
  /** When the last placement became ready (see BURST_MS). */
  #lastReadyAt = -Infinity;

  constructor(options: HostOptions) {
    this.#options = options;
    this.#sockets = new SocketKeeper({
      post: (key, message) => {
        const live = this.#live.get(key);
        if (!live?.ready || live.stopping) return false;
        this.#post(live, message);
        if (message.type === 'ws-event' && message.event.kind === 'message') options.socketMessage?.(key);
        return true;
      },
      wake: (address) => options.wake(address),
      autoReplyToClose: autoReplyToClose(options.config.compatibilityDate),
      holderLock: hostLockName(options.hostId),
      changed: (key) => {
        this.#reportStats(key);
        options.socketsChanged?.();
      },
    });
  }

  /** Per object: its last reported size, the `accept()`-ed sockets its worker holds, and what was last sent on. */
  readonly #stats = new Map<string, { address: ObjectAddress; sizeBytes?: number; accepted: number; acceptedList?: AcceptedSocket[]; sent?: string }>();

  #reportStats(key: string, address?: ObjectAddress): void {
    let stats = this.#stats.get(key);
    if (!stats) {
      const known = address ?? this.#live.get(key)?.address;
      if (!known) return;
      this.#stats.set(key, (stats = { address: known, accepted: 0 }));
    }
    const sockets = this.#sockets.count(key) + (this.#live.has(key) ? stats.accepted : 0);
    const sent = `${stats.sizeBytes}:${sockets}`;
    if (stats.sent === sent) return;
    stats.sent = sent;
    this.#options.stats?.(stats.address, { ...(stats.sizeBytes !== undefined ? { sizeBytes: stats.sizeBytes } : {}), sockets });
  }

  /** The address of an object this tab runs or ran (for tagging its logs and metrics). */
  addressOf(key: string): ObjectAddress | undefined {
    return this.#live.get(key)?.address ?? this.#stats.get(key)?.address;
  }

  /** The database size an object last reported on this tab. */
  sizeOf(key: string): number | undefined {
    return this.#stats.get(key)?.sizeBytes;
  }

  /** The open sockets of this tab's objects, for the devtools: hibernatable ones it keeps, and `accept()`-ed ones its workers hold. */
  keptSockets(): DevtoolsSocket[] {
    const accepted: DevtoolsSocket[] = [];
    for (const [key, stats] of this.#stats) {
      if (!this.#live.has(key)) continue;
      for (const { sid, readyState } of stats.acceptedList ?? []) accepted.push({ key, sid, tags: [], readyState, accepted: true });
    }
    return [...this.#sockets.list(), ...accepted];
  }

  /** The devtools wiped a namespace: its objects that sleep here lose their sockets, as in a reset. */
  namespaceWiped(namespaceKey: string): void {
    for (const key of this.#sockets.keysOf(namespaceKey)) {
      if (!this.#live.has(key)) this.#sockets.closeAll(key, RESET_CLOSE.code, RESET_CLOSE.reason);
    }
  }

  /**
   * The devtools close one socket as a lost connection: a kept one here
   * (socket-keeper.ts `closeOne`), an `accept()`-ed one in its worker.
   */
  closeSocket(key: string, sid: string): boolean {
    if (this.#sockets.closeOne(key, sid, DEVTOOLS_CLOSE.code, DEVTOOLS_CLOSE.reason)) return true;
    const live = this.#live.get(key);
    if (!live || !this.#stats.get(key)?.acceptedList?.some((s) => s.sid === sid)) return false;
    this.#post(live, { type: 'ws-disconnect', sid, code: DEVTOOLS_CLOSE.code, reason: DEVTOOLS_CLOSE.reason });
    return true;
  }

  /** What this host runs, so a fresh coordinator can rebuild its directory. */
  objects(): { key: string; address: ObjectAddress; epoch: number }[] {
    return [...this.#live.values()].filter((o) => o.ready).map(({ key, address, epoch }) => ({ key, address, epoch }));
  }

  /** Start a worker for the object; resolves once it holds the lock and has its database open. */
  place(address: ObjectAddress, epoch: number): Promise<void> {
    const placing = this.#place(address, epoch);
    const tracked = placing.catch(() => {}).finally(() => this.#placing.delete(tracked));
    this.#placing.add(tracked);
    return placing;
  }

  /** Resolves once every placement started so far has succeeded or failed. */
  async placementsSettled(): Promise<void> {
    while (this.#placing.size > 0) await Promise.all(this.#placing);
  }

  async #place(address: ObjectAddress, epoch: number): Promise<void> {
    if (this.#closed) throw hostClosed();
    const key = objectKey(address);
    const old = this.#live.get(key);
    if (old) this.#end(old); // a stale placement on this very tab: it must not overlap
    const hostMarks: StartMark[] | undefined = startTimings && [['place', epochNow()]];
    const burst = performance.now() - this.#lastReadyAt < BURST_MS;
    await this.#makeRoom();
    hostMarks?.push(['room', epochNow()]);
    if (this.#closed) throw hostClosed();
    const config = this.#options.config;
    const spare = spareWorkers > 0 ? this.#spares.shift() : undefined;
    // The extra spare of a burst is not kept once the burst is over.
    if (!burst) for (const extra of this.#spares.splice(spareWorkers)) extra.terminate();
    const worker = spare ?? this.#options.createWorker(`hearth ${address.className} ${address.name ?? address.id.slice(0, 12)}`);
    const live: LiveObject = { key, address, epoch, worker, ready: false, lastActive: Date.now(), lastTick: Date.now() };
    this.#live.set(key, live);
    // In a burst the next placement is coming: let it find room without waiting for an eviction.
    if (burst) this.#evictAhead();
    const init: ObjectWorkerInit = {
      address,
      epoch,
      app: this.#options.app,
      config,
      wasmModule: await this.#options.wasmModule,
      idleTimeoutMs: config.idleTimeoutMs,
      lockTimeoutMs: config.lockTimeoutMs,
      hostId: this.#options.hostId,
    };
    const hibernation = this.#sockets.snapshot(key);
    if (hibernation) init.hibernation = hibernation;
    if (hostMarks) init.timing = true;
    // Ended while the wasm was awaited (the host closed, or a newer placement took over): never post to a dead worker.
    if (this.#live.get(key) !== live) {
      throw this.#closed ? hostClosed() : new Error(`Placement of ${address.className} at epoch ${epoch} was replaced by a newer one.`);
    }
    await new Promise<void>((resolve, reject) => {
      live.abandon = reject;
      worker.onmessage = (event: MessageEvent<ObjectToHost | ToCaller>) => {
        const data = event.data;
        if (isToCaller(data)) {
          live.replyHandler?.(data);
          if (live.afterFirstAnswer) live.afterFirstAnswer();
          return;
        }
        switch (data.type) {
          case 'ready':
            this.#lastReadyAt = performance.now();
            if (hostMarks && data.marks) {
              startTimings?.({ className: address.className, spare: spare !== undefined, marks: [...hostMarks, ...data.marks, ['ready', epochNow()]] });
            }
            live.ready = true;
            live.lastTick = Date.now();
            this.#watchCpu();
            resolve();
            this.#sockets.ready(key);
            // Replace a used spare once this start is done — after the first answer, not during it: on two
            // cores, loading a spare's modules, SQLite and app while this worker opens its database, or runs
            // its first call, made that start slower (docs/performance.md, "Profile"). In a burst the next
            // placement is already on its way, and a spare that starts loading now is ready sooner.
            // The first spare comes only once this page has hosted an object: pages that never host pay nothing.
            // In a burst one spare is not enough: the next placement comes before a spare taken now has
            // loaded (the profile's `init` step waited for it), so keep one more loading behind it.
            if (burst) this.#refillSpares(spareWorkers > 0 ? spareWorkers + 1 : 0);
            else this.#refillAfterFirstAnswer(live);
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
          case 'stopped': {
            this.#retire(live);
            // Idle with only kept sockets open: hibernation. Any other end closes them, as on Cloudflare.
            const hibernated = (data.reason === 'idle' || data.reason === 'lru') && this.#sockets.keeps(key);
            if (!hibernated && data.reason !== 'lru' && data.reason !== 'idle') {
              const { code, reason } = data.reason === 'update' ? UPDATE_CLOSE : RESET_CLOSE;
              this.#sockets.closeAll(key, code, reason);
            }
            this.#options.stopped(key, epoch, undefined, hibernated || undefined);
            if (hibernated) this.#sockets.wakeIfPending(key);
            return;
          }
          case 'ws-adopt':
            this.#sockets.adopt(key, address, data.sid, data.port, data.tags);
            return;
          case 'ws-send':
            this.#sockets.send(key, data.sid, data.frame);
            return;
          case 'ws-attach':
            this.#sockets.attach(key, data.sid, data.attachment);
            return;
          case 'ws-settings':
            this.#sockets.settings(key, address, data.autoResponse, data.eventTimeoutMs);
            return;
          case 'ws-retry':
            this.#sockets.retry(key, { type: 'ws-event', sid: data.sid, event: data.event });
            return;
          case 'resolve':
            this.#options.workerResolve(live, data.rid, data.address, data.staleEpoch);
            return;
          case 'alarm':
            this.#options.alarm?.(live, data.seq, data.time);
            return;
          case 'gate':
            this.#options.gate?.(key, data.event);
            return;
          case 'log':
            this.#options.log?.(key, data.level, data.text, data.at);
            return;
          case 'stats': {
            const stats = this.#stats.get(key) ?? { address, accepted: 0 };
            stats.sizeBytes = data.sizeBytes;
            stats.accepted = data.sockets;
            const listed = JSON.stringify(stats.acceptedList ?? []);
            stats.acceptedList = data.accepted ?? [];
            this.#stats.set(key, stats);
            this.#reportStats(key);
            if (JSON.stringify(stats.acceptedList) !== listed) this.#options.socketsChanged?.();
            return;
          }
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
      if (this.#observing) this.#post(live, { type: 'observe', on: true });
    });
  }

  /** A caller in another context was given the other end of `port`. */
  connect(key: string, epoch: number, port: MessagePort): void {
    const live = this.#live.get(key);
    if (!live || live.epoch !== epoch) {
      // Brokered before the coordinator heard this instance stopped: nothing sent here ever runs, so say
      // `closed` for it — the caller sends its calls on to the next instance instead of failing them as lost.
      refuseAll(port);
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
  stop(key: string, epoch: number, reason: 'update' | 'wipe'): void {
    const live = this.#live.get(key);
    if (!live || live.epoch !== epoch) {
      this.#options.stopped(key, epoch);
      return;
    }
    this.#post(live, { type: 'stop', reason });
    setTimeout(() => {
      if (this.#live.get(key) !== live) return;
      this.#end(live);
      const error = reason === 'update' ? codeUpdatedReset() : flagged(new Error('Durable Object reset by Hearth DevTools: its namespace was wiped.'), { durableObjectReset: true });
      const close = reason === 'update' ? UPDATE_CLOSE : RESET_CLOSE;
      this.#sockets.closeAll(key, close.code, close.reason);
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

  /** The coordinator recorded the alarm report `seq` of the instance at `epoch`. */
  alarmRecorded(key: string, epoch: number, seq: number): void {
    const live = this.#live.get(key);
    if (live && live.epoch === epoch) this.#post(live, { type: 'alarm-recorded', seq });
  }

  /**
   * Ask every object worker on this tab, now and later, to report what its
   * gates see (or to stop: then they pay nothing for it).
   */
  observe(on: boolean): void {
    if (this.#observing === on) return;
    this.#observing = on;
    for (const live of this.#live.values()) this.#post(live, { type: 'observe', on });
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

  /**
   * Keep at most `maxLiveObjectsPerHost` object workers, counting those still
   * starting or stopping: ask the least recently active objects to stop, and
   * wait until enough have ended (a stopping object first finishes the calls
   * it accepted and commits). Bounded by EVICTION_WAIT_MS, after which the
   * placement goes ahead rather than hang.
   */
  async #makeRoom(): Promise<void> {
    const max = this.#options.config.maxLiveObjectsPerHost;
    const deadline = Date.now() + EVICTION_WAIT_MS;
    while (this.#live.size >= max && Date.now() < deadline) {
      const all = [...this.#live.values()];
      const excess = this.#live.size - max + 1 - all.filter((o) => o.stopping).length;
      const candidates = all.filter((o) => o.ready && !o.stopping).sort((a, b) => a.lastActive - b.lastActive);
      for (const victim of candidates.slice(0, Math.max(0, excess))) {
        victim.stopping = true;
        this.#post(victim, { type: 'stop', reason: 'lru' });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.#onEnd.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  #refillAfterFirstAnswer(live: LiveObject): void {
    const timer = setTimeout(() => live.afterFirstAnswer?.(), REFILL_FALLBACK_MS);
    live.afterFirstAnswer = () => {
      live.afterFirstAnswer = undefined;
      clearTimeout(timer);
      this.#refillSpares();
    };
  }

  /**
   * In a burst of placements (a sweep over many objects), at the bound: ask
   * the least recently used object to stop now, so the next placement finds
   * room instead of waiting for that stop. Outside bursts the bound is only
   * enforced when room is needed (`#makeRoom`), so a working set of exactly
   * `maxLiveObjectsPerHost` objects stays live.
   */
  #evictAhead(): void {
    const max = this.#options.config.maxLiveObjectsPerHost;
    const all = [...this.#live.values()];
    const excess = all.filter((o) => !o.stopping).length - (max - 1);
    if (excess <= 0) return;
    const candidates = all.filter((o) => o.ready && !o.stopping).sort((a, b) => a.lastActive - b.lastActive);
    for (const victim of candidates.slice(0, excess)) {
      victim.stopping = true;
      this.#post(victim, { type: 'stop', reason: 'lru' });
    }
  }

  /** Spawn spares up to `count`. A spare whose modules fail to load is dropped, so it is never handed an object. */
  #refillSpares(count = spareWorkers): void {
    while (!this.#closed && this.#spares.length < count) {
      const spare = this.#options.createWorker('hearth spare');
      spare.onerror = () => {
        const index = this.#spares.indexOf(spare);
        if (index >= 0) this.#spares.splice(index, 1);
        spare.terminate();
      };
      this.#spares.push(spare);
      void this.#options.wasmModule.then(
        (wasmModule) =>
          spare.postMessage({ type: 'warm', wasmModule, app: this.#options.app, config: this.#options.config, stagePool: stagePools } satisfies HostToObject),
        () => {},
      );
    }
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
        this.#sockets.closeAll(live.key, RESET_CLOSE.code, RESET_CLOSE.reason);
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

  /**
   * The worker said `stopped`: it is no longer this object's instance, but it
   * still answers (`closed`, `retry`) what the host and callers sent it before
   * they heard so. `exit` queues behind all of that, and the worker ends itself
   * once it gets there. Termination frees its lock and access handles, so the
   * next instance waits one message longer than it would for `terminate()`.
   */
  #retire(live: LiveObject): void {
    if (this.#live.get(live.key) === live) this.#live.delete(live.key);
    this.#post(live, { type: 'exit' });
    // A worker that never reaches `exit` (it cannot: the event loop is free once stopped) is ended anyway.
    setTimeout(() => live.worker.terminate(), RETIRE_GRACE_MS);
    // Its accept()-ed sockets ended with it.
    this.#acceptedEnded(live.key);
    this.#reportStats(live.key);
    const waiting = this.#onEnd;
    this.#onEnd = [];
    for (const wake of waiting) wake();
  }

  /** A worker ended: the devtools stop listing its `accept()`-ed sockets (unless a new instance already runs here). */
  #acceptedEnded(key: string): void {
    const stats = this.#stats.get(key);
    if (this.#live.has(key) || !stats?.acceptedList?.length) return;
    stats.acceptedList = [];
    this.#options.socketsChanged?.();
  }

  #end(live: LiveObject): void {
    live.worker.terminate();
    if (this.#live.get(live.key) === live) this.#live.delete(live.key);
    // Its accept()-ed sockets went with it.
    this.#acceptedEnded(live.key);
    this.#reportStats(live.key);
    const waiting = this.#onEnd;
    this.#onEnd = [];
    for (const wake of waiting) wake();
    // Anything this page still waited for from that worker will hear `lost` from the coordinator.
  }

  /** Stop every object gracefully (runtime.close()). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const spare of this.#spares.splice(0)) spare.terminate();
    const all = [...this.#live.values()];
    await Promise.all(
      all.map(
        (live) =>
          new Promise<void>((resolve) => {
            if (!live.ready) {
              this.#end(live);
              live.abandon?.(hostClosed());
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

/** Answer a port whose instance is gone: it runs nothing, so every call on it may go elsewhere. */
function refuseAll(port: MessagePort): void {
  port.postMessage({ t: 'closed' } satisfies ToCaller);
  port.onmessage = (event: MessageEvent<ToObject>) => {
    if (event.data?.t === 'call') port.postMessage({ t: 'retry', cid: event.data.cid } satisfies ToCaller);
  };
  // The caller forgets this port when it reads `closed`; close this end once that has surely happened.
  setTimeout(() => port.close(), RETIRE_GRACE_MS);
}

function hostClosed(): Error {
  return new Error('Hearth runtime was closed.');
}

export type { LiveObject };
