/**
 * The control plane: which host runs which object, at which epoch.
 *
 * Independent of its host context (a SharedWorker today; a lock-elected leader
 * tab where SharedWorker is missing), so it only sees `HostLink`s.
 *
 * Invariants:
 *  - At most one directory entry per object; a new placement gets a new,
 *    larger epoch. The object's Web Lock, not this directory, is the ground
 *    truth of uniqueness: the directory is a cache that may briefly lag.
 *  - Every `resolve` is answered (resolved or failed); waiters on a placement
 *    that dies with its host are re-placed, never dropped.
 *  - The data path never passes through here: callers get a direct
 *    `MessagePort` to the object worker (or use their own worker).
 */
import { serializeError } from '../errors.ts';
import {
  objectKey,
  type CoordinatorToHost,
  type DirectoryEntry,
  type HostToCoordinator,
  type ObjectAddress,
  type RegistryEntry,
} from '../protocol.ts';

export interface HostLink {
  readonly hostId: string;
  post(message: CoordinatorToHost, transfer?: Transferable[]): void;
}

interface Waiter {
  host: HostLink;
  rid: number;
  address: ObjectAddress;
}

interface Entry {
  address: ObjectAddress;
  hostId: string;
  epoch: number;
  state: 'placing' | 'live' | 'stopping';
  /** Resolves queued until the entry is live (or gone). */
  waiters: Waiter[];
  placeRid?: number;
}

export interface CoordinatorEvents {
  /** An object was placed (for the registry). */
  placed?(address: ObjectAddress, hostId: string): void;
  /** Watch a host's liveness; call `gone` once it has died. */
  watchHost(hostId: string, gone: () => void): void;
  /** The durable registry's records, for `inspect`. */
  registry?(): Promise<RegistryEntry[]>;
}

export class Coordinator {
  readonly id = crypto.randomUUID();
  readonly #hosts = new Map<string, HostLink>();
  readonly #directory = new Map<string, Entry>();
  readonly #events: CoordinatorEvents;
  /** Epochs only grow, even across coordinator restarts (which start from the clock). */
  #epoch = Date.now() * 1000;
  #rid = 1;

  constructor(events: CoordinatorEvents) {
    this.#events = events;
  }

  /** For tests and the demo: a snapshot of the directory. */
  snapshot(): DirectoryEntry[] {
    return [...this.#directory].map(([key, e]) => ({
      key,
      hostId: e.hostId,
      epoch: e.epoch,
      state: e.state,
      className: e.address.className,
      ...(e.address.name !== undefined ? { name: e.address.name } : {}),
    }));
  }

  receive(link: HostLink, message: HostToCoordinator): void {
    switch (message.type) {
      case 'hello':
        return this.#hello(link, message.objects);
      case 'resolve':
        return this.#resolve({ host: link, rid: message.rid, address: message.address }, message.staleEpoch);
      case 'placed':
        return this.#placed(message.key, message.epoch);
      case 'place-failed':
        return this.#placeFailed(message.key, message.epoch, message.error);
      case 'stopped':
        return this.#stopped(message.key, message.epoch, message.error);
      case 'goodbye':
        return this.hostGone(message.hostId);
      case 'inspect':
        void (this.#events.registry?.() ?? Promise.resolve([])).then((registry) =>
          link.post({ type: 'inspected', rid: message.rid, coordinatorId: this.id, live: this.snapshot(), registry }),
        );
        return;
    }
  }

  #hello(link: HostLink, objects: { key: string; address: ObjectAddress; epoch: number }[]): void {
    this.#hosts.set(link.hostId, link);
    // A fresh coordinator learns what already runs from the hosts that run it.
    for (const o of objects) {
      if (!this.#directory.has(o.key)) {
        this.#directory.set(o.key, { address: o.address, hostId: link.hostId, epoch: o.epoch, state: 'live', waiters: [] });
        this.#epoch = Math.max(this.#epoch, o.epoch);
      }
    }
    link.post({ type: 'welcome', coordinatorId: this.id });
    this.#events.watchHost(link.hostId, () => this.hostGone(link.hostId));
  }

  #resolve(waiter: Waiter, staleEpoch?: number): void {
    const key = objectKey(waiter.address);
    const entry = this.#directory.get(key);
    if (!entry) return this.#place(key, waiter);
    if (entry.state === 'live' && staleEpoch === entry.epoch) {
      // The caller's call was refused: that instance is stopping. Wait for its `stopped`.
      entry.state = 'stopping';
    }
    if (entry.state !== 'live') {
      entry.waiters.push(waiter);
      return;
    }
    this.#answer(entry, waiter);
  }

  /** Default placement: on the caller's own tab, like "created near where first requested". */
  #place(key: string, waiter: Waiter): void {
    const host = waiter.host;
    const epoch = ++this.#epoch;
    const rid = this.#rid++;
    const entry: Entry = { address: waiter.address, hostId: host.hostId, epoch, state: 'placing', waiters: [waiter], placeRid: rid };
    this.#directory.set(key, entry);
    host.post({ type: 'place', rid, address: waiter.address, epoch });
  }

  #placed(key: string, epoch: number): void {
    const entry = this.#directory.get(key);
    if (!entry || entry.epoch !== epoch) return;
    entry.state = 'live';
    this.#events.placed?.(entry.address, entry.hostId);
    const waiters = entry.waiters;
    entry.waiters = [];
    for (const w of waiters) this.#answer(entry, w);
  }

  #placeFailed(key: string, epoch: number, error: ReturnType<typeof serializeError>): void {
    const entry = this.#directory.get(key);
    if (!entry || entry.epoch !== epoch) return;
    this.#directory.delete(key);
    for (const w of entry.waiters) w.host.post({ type: 'resolve-failed', rid: w.rid, error });
  }

  #stopped(key: string, epoch: number, error?: ReturnType<typeof serializeError>): void {
    const entry = this.#directory.get(key);
    if (!entry || entry.epoch !== epoch) return;
    this.#directory.delete(key);
    this.#broadcast({ type: 'lost', key, epoch, ...(error ? { error } : {}) });
    // Whoever waited on the stopping instance gets a fresh one.
    for (const w of entry.waiters) this.#resolve(w);
  }

  #answer(entry: Entry, waiter: Waiter): void {
    const key = objectKey(entry.address);
    const owner = this.#hosts.get(entry.hostId);
    if (!owner) {
      waiter.host.post({ type: 'resolve-failed', rid: waiter.rid, error: serializeError(new Error('Network connection lost.')) });
      return;
    }
    if (owner === waiter.host) {
      waiter.host.post({ type: 'resolved', rid: waiter.rid, key, epoch: entry.epoch, hostId: entry.hostId });
      return;
    }
    const channel = new MessageChannel();
    owner.post({ type: 'connect', key, epoch: entry.epoch, port: channel.port1 }, [channel.port1]);
    waiter.host.post(
      { type: 'resolved', rid: waiter.rid, key, epoch: entry.epoch, hostId: entry.hostId, port: channel.port2 },
      [channel.port2],
    );
  }

  /** A host died or left: its objects are gone; their waiters are placed again elsewhere. */
  hostGone(hostId: string): void {
    if (!this.#hosts.delete(hostId)) return;
    for (const [key, entry] of [...this.#directory]) {
      if (entry.hostId !== hostId) continue;
      this.#directory.delete(key);
      this.#broadcast({ type: 'lost', key, epoch: entry.epoch });
      for (const w of entry.waiters) if (w.host.hostId !== hostId) this.#resolve(w);
    }
    // Waiters that were that host's own requests have no one left to answer.
    for (const entry of this.#directory.values()) {
      entry.waiters = entry.waiters.filter((w) => w.host.hostId !== hostId);
    }
  }

  #broadcast(message: CoordinatorToHost): void {
    for (const host of this.#hosts.values()) host.post(message);
  }
}
