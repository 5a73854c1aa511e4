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
 *  - Objects run only on hosts of the *active* version (versions.ts). When a
 *    newer host says hello, objects on older hosts are stopped (`update`) and
 *    their waiters placed again on a new-version host: a new instance starts
 *    only after the old one has said `stopped` (or its host died), so one
 *    object never has two live instances, even across versions.
 *  - Nothing is placed while migrations are being applied (migrations.ts);
 *    while a script's active config conflicts with its applied tags, every
 *    resolve from a host of that script fails with that error instead.
 */
import type { NormalizedClass, NormalizedMigration } from '../config-record.ts';
import { networkConnectionLost, serializeError, type SerializedError } from '../errors.ts';
import { Migrations } from './migrations.ts';
import { newestVersion, sameVersion } from './versions.ts';
import {
  objectKey,
  type AppVersion,
  type CoordinatorToHost,
  type DirectoryEntry,
  type HostToCoordinator,
  type ObjectAddress,
  type RegistryEntry,
  type AlarmEntry,
  type DevtoolsCoordinatorAction,
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

interface HostRecord {
  link: HostLink;
  version: AppVersion;
  /** The Worker's name: migration tags are recorded per script. */
  script: string;
  migrations: NormalizedMigration[];
  classes: NormalizedClass[];
  /** Order of hellos: among hosts of one version, the latest config wins. */
  seq: number;
}

interface Entry {
  address: ObjectAddress;
  hostId: string;
  epoch: number;
  state: 'placing' | 'live' | 'stopping';
  /** Resolves queued until the entry is live (or gone). */
  waiters: Waiter[];
  placeRid?: number;
  /** Stop it as soon as it is live (a migration or a newer version wants it gone). */
  stopWanted?: boolean;
  /** Called once the entry leaves the directory. */
  gone: (() => void)[];
}

export interface CoordinatorEvents {
  /** An object was placed (for the registry). */
  placed?(address: ObjectAddress, hostId: string): void;
  /** Watch a host's liveness; call `gone` once it has died. */
  watchHost(hostId: string, gone: () => void): void;
  /** A host said hello: work that waited for one (a due alarm) can go. */
  hostReady?(hostId: string): void;
  /** An object's alarm changed: resolves once the schedule has stored it (then the host hears `alarm-recorded`). */
  alarmReported?(report: Extract<HostToCoordinator, { type: 'alarm' }>): Promise<void>;
  /** The scheduled alarms, for `inspect`. */
  alarms?(): AlarmEntry[];
  /** The durable registry's records, for `inspect`. */
  registry?(): Promise<RegistryEntry[]>;
  /** The Web Lock this coordinator holds for its life, named in `welcome` so tabs can watch it. */
  livenessLock?: string;
  /** Tags of the script's migrations already applied to stored data, in order. */
  appliedMigrations?(script: string): Promise<string[]>;
  /**
   * Apply one migration to stored data and record its tag for `script`.
   * Called only once no object of a namespace it deletes is live. `classes`:
   * the active config's class for each namespace (renames).
   */
  applyMigration?(script: string, migration: NormalizedMigration, classes: NormalizedClass[]): Promise<void>;
  /** A host reported an object's database size (for the registry). */
  sizeReported?(address: ObjectAddress, sizeBytes: number): void;
  /** The devtools' "fire the alarm now" (alarm-scheduler.ts `fireNow`): false when the object has no alarm. */
  fireAlarmNow?(key: string): Promise<boolean>;
  /**
   * The devtools wipe a namespace: delete its objects' storage, alarms and
   * registry records. Called once none of its objects is live; no object of
   * it is placed until this settles.
   */
  wipeNamespace?(namespaceKey: string): Promise<void>;
}

export class Coordinator {
  readonly id = crypto.randomUUID();
  readonly #hosts = new Map<string, HostRecord>();
  #helloSeq = 0;
  readonly #migrations: Migrations;
  /** Resolves that came while migrations were being applied. */
  #held: { waiter: Waiter; staleEpoch?: number }[] = [];
  readonly #directory = new Map<string, Entry>();
  /** Hibernated objects: the host that keeps their sockets, where they are placed again (websocket hibernation). */
  readonly #keptBy = new Map<string, string>();
  /** Callers inside the coordinator (the alarm scheduler): they hear `lost` like hosts do. */
  readonly #internal = new Set<HostLink>();
  readonly #events: CoordinatorEvents;
  /** Open WebSockets per object, as the host holding them last said (devtools' Objects panel). */
  readonly #sockets = new Map<string, { hostId: string; count: number }>();
  /** Namespaces the devtools are wiping: resolves for their objects wait here until the wipe is done. */
  readonly #wiping = new Map<string, Waiter[]>();
  /** Epochs only grow, even across coordinator restarts (which start from the clock). */
  #epoch = Date.now() * 1000;
  #rid = 1;

  constructor(events: CoordinatorEvents) {
    this.#events = events;
    this.#migrations = new Migrations({
      configs: () => this.#activeConfigs(),
      ...(events.appliedMigrations ? { appliedMigrations: (script) => events.appliedMigrations!(script) } : {}),
      ...(events.applyMigration ? { applyMigration: (script, m, classes) => events.applyMigration!(script, m, classes) } : {}),
      stopNamespaces: (keys) => this.#stopNamespaces(keys),
      settled: () => {
        const held = this.#held;
        this.#held = [];
        for (const { waiter, staleEpoch } of held) this.#resolve(waiter, staleEpoch);
      },
    });
  }

  /** For tests and the demo: a snapshot of the directory. */
  snapshot(): DirectoryEntry[] {
    return [...this.#directory].map(([key, e]) => {
      const version = this.#hosts.get(e.hostId)?.version.id;
      return {
        key,
        hostId: e.hostId,
        epoch: e.epoch,
        state: e.state,
        className: e.address.className,
        ...(e.address.name !== undefined ? { name: e.address.name } : {}),
        ...(e.address.jurisdiction !== undefined ? { jurisdiction: e.address.jurisdiction } : {}),
        ...(version !== undefined ? { version } : {}),
      };
    });
  }

  /** The version objects run on: the newest among connected hosts. */
  activeVersion(): AppVersion | undefined {
    return newestVersion([...this.#hosts.values()].map((h) => h.version));
  }

  receive(link: HostLink, message: HostToCoordinator): void {
    switch (message.type) {
      case 'hello':
        return this.#hello(link, message);
      case 'resolve':
        return this.#resolve({ host: link, rid: message.rid, address: message.address }, message.staleEpoch);
      case 'placed':
        return this.#placed(message.key, message.epoch);
      case 'place-failed':
        return this.#placeFailed(message.key, message.epoch, message.error);
      case 'stopped':
        if (message.keepsSockets) this.#keptBy.set(message.key, link.hostId);
        return this.#stopped(message.key, message.epoch, message.error);
      case 'goodbye':
        return this.hostGone(message.hostId);
      case 'devtools':
        // A devtools page: it only inspects and resolves, so it has no host record and nothing is placed on it.
        // Welcomed like a tab, with the lock that tells it this coordinator died (it re-attaches as tabs do).
        link.post({
          type: 'welcome',
          coordinatorId: this.id,
          ...(this.#events.livenessLock !== undefined ? { lock: this.#events.livenessLock } : {}),
        });
        return;
      case 'inspect':
        void (this.#events.registry?.() ?? Promise.resolve([])).then((registry) =>
          link.post({
            type: 'inspected',
            rid: message.rid,
            coordinatorId: this.id,
            live: this.snapshot(),
            registry: registry.map((r) => {
              const sockets = this.#sockets.get(r.key)?.count;
              return sockets ? { ...r, sockets } : r;
            }),
            alarms: this.#events.alarms?.() ?? [],
          }),
        );
        return;
      case 'object-stats': {
        const key = objectKey(message.address);
        if (message.sockets !== undefined) {
          if (message.sockets > 0) this.#sockets.set(key, { hostId: link.hostId, count: message.sockets });
          else if (this.#sockets.get(key)?.hostId === link.hostId) this.#sockets.delete(key);
        }
        if (message.sizeBytes !== undefined) this.#events.sizeReported?.(message.address, message.sizeBytes);
        return;
      }
      case 'devtools-action':
        void this.#devtoolsAction(message.action).then(
          () => link.post({ type: 'devtools-done', rid: message.rid }),
          (error: unknown) => link.post({ type: 'devtools-done', rid: message.rid, error: serializeError(error) }),
        );
        return;
      case 'alarm': {
        const { address, epoch, seq } = message;
        void this.#events.alarmReported?.(message).then(() =>
          link.post({ type: 'alarm-recorded', key: objectKey(address), epoch, seq }),
        );
        return;
      }
    }
  }

  #hello(link: HostLink, hello: Extract<HostToCoordinator, { type: 'hello' }>): void {
    this.#hosts.set(link.hostId, {
      link,
      // Hosts from before versions existed count as one unversioned deployment.
      version: hello.version ?? { id: 'unversioned', builtAt: 0 },
      script: hello.script ?? '',
      migrations: hello.migrations ?? [],
      classes: hello.classes ?? [],
      seq: this.#helloSeq++,
    });
    // A fresh coordinator learns what already runs from the hosts that run it.
    for (const o of hello.objects) {
      if (!this.#directory.has(o.key)) {
        this.#directory.set(o.key, { address: o.address, hostId: link.hostId, epoch: o.epoch, state: 'live', waiters: [], gone: [] });
        this.#epoch = Math.max(this.#epoch, o.epoch);
      }
    }
    link.post({
      type: 'welcome',
      coordinatorId: this.id,
      ...(this.#events.livenessLock !== undefined ? { lock: this.#events.livenessLock } : {}),
    });
    this.#events.watchHost(link.hostId, () => this.hostGone(link.hostId));
    this.#migrations.sync();
    this.#stopOutdated();
    this.#events.hostReady?.(link.hostId);
  }

  /**
   * Resolve an object for a caller inside the coordinator (the alarm
   * scheduler), like a host's `resolve`: the answer (`resolved` with a port,
   * or `resolve-failed`) and later `lost` messages arrive on `link`.
   */
  resolveInternal(link: HostLink, rid: number, address: ObjectAddress, staleEpoch?: number): void {
    this.#internal.add(link);
    this.#resolve({ host: link, rid, address }, staleEpoch);
  }

  #isActiveHost(hostId: string): boolean {
    const host = this.#hosts.get(hostId);
    const active = this.activeVersion();
    return !!host && !!active && sameVersion(host.version, active);
  }

  /** A newer version arrived: every object on an older host is stopped, and comes back on a new one. */
  #stopOutdated(): void {
    for (const [key, entry] of this.#directory) {
      if (!this.#isActiveHost(entry.hostId)) this.#requestStop(key, entry);
    }
  }

  /** Ask the host to stop `entry` now; a placement still starting is stopped once it is live. */
  #requestStop(key: string, entry: Entry, reason: 'update' | 'wipe' = 'update'): void {
    if (entry.state === 'placing') {
      entry.stopWanted = true;
      return;
    }
    if (entry.state !== 'live') return; // already stopping: its `stopped` is on its way
    entry.state = 'stopping';
    this.#hosts.get(entry.hostId)?.link.post({ type: 'stop', key, epoch: entry.epoch, reason });
  }

  #resolve(waiter: Waiter, staleEpoch?: number): void {
    const wipe = this.#wiping.get(waiter.address.namespaceKey);
    if (wipe) {
      wipe.push(waiter);
      return;
    }
    if (this.#migrations.busy) {
      this.#held.push({ waiter, ...(staleEpoch !== undefined ? { staleEpoch } : {}) });
      return;
    }
    const migrationError = this.#migrations.errorFor(this.#hosts.get(waiter.host.hostId)?.script ?? '');
    if (migrationError) {
      waiter.host.post({ type: 'resolve-failed', rid: waiter.rid, error: migrationError });
      return;
    }
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

  /**
   * Default placement: on the caller's own tab, like "created near where first
   * requested" — unless the caller runs an older version, then on a host of the
   * active one (the earliest connected: deterministic, and usually the tab that
   * has been reloaded longest). A hibernated object goes back to the tab that
   * keeps its sockets, if that tab still runs the active version.
   */
  #place(key: string, waiter: Waiter): void {
    const keeper = this.#keptBy.get(key);
    this.#keptBy.delete(key);
    const target = keeper !== undefined && this.#isActiveHost(keeper)
      ? this.#hosts.get(keeper)!
      : this.#isActiveHost(waiter.host.hostId)
      ? this.#hosts.get(waiter.host.hostId)!
      : [...this.#hosts.values()].find((h) => this.#isActiveHost(h.link.hostId));
    if (!target) {
      waiter.host.post({ type: 'resolve-failed', rid: waiter.rid, error: serializeError(networkConnectionLost()) });
      return;
    }
    // Renames keep the namespace and change the class: run the class the target's code exports.
    const className = target.classes.find((c) => c.namespaceKey === waiter.address.namespaceKey)?.className;
    const address = className ? { ...waiter.address, className } : waiter.address;
    const epoch = ++this.#epoch;
    const rid = this.#rid++;
    const entry: Entry = { address, hostId: target.link.hostId, epoch, state: 'placing', waiters: [waiter], placeRid: rid, gone: [] };
    this.#directory.set(key, entry);
    target.link.post({ type: 'place', rid, address, epoch });
  }

  #placed(key: string, epoch: number): void {
    const entry = this.#directory.get(key);
    if (!entry || entry.epoch !== epoch) return;
    entry.state = 'live';
    this.#events.placed?.(entry.address, entry.hostId);
    if (entry.stopWanted || !this.#isActiveHost(entry.hostId)) {
      // Outdated before it answered anyone: its waiters go to the next instance.
      this.#requestStop(key, entry);
      return;
    }
    const waiters = entry.waiters;
    entry.waiters = [];
    for (const w of waiters) this.#answer(entry, w);
  }

  #placeFailed(key: string, epoch: number, error: SerializedError): void {
    const entry = this.#directory.get(key);
    if (!entry || entry.epoch !== epoch) return;
    this.#remove(key, entry);
    for (const w of entry.waiters) w.host.post({ type: 'resolve-failed', rid: w.rid, error });
  }

  #stopped(key: string, epoch: number, error?: SerializedError): void {
    const entry = this.#directory.get(key);
    if (!entry || entry.epoch !== epoch) return;
    this.#remove(key, entry);
    this.#broadcast({ type: 'lost', key, epoch, ...(error ? { error } : {}) });
    // Whoever waited on the stopping instance gets a fresh one.
    for (const w of entry.waiters) this.#resolve(w);
  }

  #remove(key: string, entry: Entry): void {
    if (this.#directory.get(key) === entry) this.#directory.delete(key);
    for (const gone of entry.gone.splice(0)) gone();
  }

  #answer(entry: Entry, waiter: Waiter): void {
    const key = objectKey(entry.address);
    const owner = this.#hosts.get(entry.hostId)?.link;
    if (!owner) {
      waiter.host.post({ type: 'resolve-failed', rid: waiter.rid, error: serializeError(networkConnectionLost()) });
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

  // ───────────── devtools ─────────────

  async #devtoolsAction(action: DevtoolsCoordinatorAction): Promise<void> {
    switch (action.op) {
      case 'fire-alarm':
        if (!(await this.#events.fireAlarmNow?.(action.key))) throw new Error('This object has no alarm scheduled.');
        return;
      case 'wipe-namespace':
        return this.#wipeNamespace(action.namespaceKey);
    }
  }

  /**
   * Stop every object of the namespace (accepted calls fail with a reset, as
   * after `deleteAll()` and `ctx.abort()`), hold new resolves for it, delete
   * its storage, then let the held resolves place fresh, empty objects.
   */
  async #wipeNamespace(namespaceKey: string): Promise<void> {
    if (this.#wiping.has(namespaceKey)) throw new Error('This namespace is already being wiped.');
    this.#wiping.set(namespaceKey, []);
    try {
      const doomed = [...this.#directory].filter(([, e]) => e.address.namespaceKey === namespaceKey);
      await Promise.all(
        doomed.map(
          ([key, entry]) =>
            new Promise<void>((gone) => {
              entry.gone.push(gone);
              this.#requestStop(key, entry, 'wipe');
            }),
        ),
      );
      for (const key of [...this.#keptBy.keys()]) {
        if (key.startsWith(`${namespaceKey}:`)) this.#keptBy.delete(key);
      }
      // Hibernated objects have no instance to reset: their tabs close the sockets they keep.
      this.#broadcast({ type: 'namespace-wiped', namespaceKey });
      await this.#events.wipeNamespace?.(namespaceKey);
    } finally {
      const held = this.#wiping.get(namespaceKey) ?? [];
      this.#wiping.delete(namespaceKey);
      for (const waiter of held) this.#resolve(waiter);
    }
  }

  /** A host died or left: its objects are gone; their waiters are placed again elsewhere. */
  hostGone(hostId: string): void {
    if (!this.#hosts.delete(hostId)) return;
    for (const [key, s] of [...this.#sockets]) if (s.hostId === hostId) this.#sockets.delete(key);
    for (const [key, entry] of [...this.#directory]) {
      if (entry.hostId !== hostId) continue;
      this.#remove(key, entry);
      this.#broadcast({ type: 'lost', key, epoch: entry.epoch });
      for (const w of entry.waiters) if (w.host.hostId !== hostId) this.#resolve(w);
    }
    // Waiters that were that host's own requests have no one left to answer.
    for (const entry of this.#directory.values()) {
      entry.waiters = entry.waiters.filter((w) => w.host.hostId !== hostId);
    }
    this.#held = this.#held.filter((h) => h.waiter.host.hostId !== hostId);
    // The active version may have fallen back to an older one, with its own migrations.
    this.#migrations.sync();
  }

  #broadcast(message: CoordinatorToHost): void {
    for (const host of this.#hosts.values()) host.link.post(message);
    for (const link of this.#internal) link.post(message);
  }

  // ───────────── migrations ─────────────

  /** Per script, the active version's config: of its hosts, the one that said hello last. */
  #activeConfigs(): Map<string, HostRecord> {
    const latest = new Map<string, HostRecord>();
    for (const host of this.#hosts.values()) {
      if (!this.#isActiveHost(host.link.hostId)) continue;
      const seen = latest.get(host.script);
      if (!seen || host.seq > seen.seq) latest.set(host.script, host);
    }
    return latest;
  }

  /** Stop every object of these namespaces and wait until each has left the directory. */
  #stopNamespaces(namespaceKeys: string[]): Promise<void> {
    const doomed = [...this.#directory].filter(([, e]) => namespaceKeys.includes(e.address.namespaceKey));
    return Promise.all(
      doomed.map(
        ([key, entry]) =>
          new Promise<void>((resolve) => {
            entry.gone.push(resolve);
            this.#requestStop(key, entry);
          }),
      ),
    ).then(() => {});
  }
}
