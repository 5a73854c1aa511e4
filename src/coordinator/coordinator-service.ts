/**
 * The coordinator as a service that accepts ports: the `Coordinator` with its
 * registry (IndexedDB), alarm schedule and clock, liveness lock and host
 * watching, given one `MessagePort` per connecting tab.
 *
 * It runs in either of two places, with the same code — only how ports reach
 * `accept()` differs:
 *  - the coordinator SharedWorker (workers/coordinator.shared-worker.ts):
 *    each `connect` event brings a tab's port;
 *  - a leader tab, where SharedWorker is missing or `hearth.coordinator` is
 *    `"leader-tab"` (host/leader-tab.ts): ports come from the relay service
 *    worker, and the leader's own from a local MessageChannel.
 * Needs only Web Locks, IndexedDB and timers: no Worker, no SQLite.
 */
import { Coordinator, type HostLink } from './coordinator.ts';
import { wipeNamespace } from './namespace-wipe.ts';
import { Registry } from './registry.ts';
import { AlarmSchedule } from './alarm-schedule.ts';
import { AlarmScheduler } from './alarm-scheduler.ts';
import { alarmDelivery } from './alarm-delivery.ts';
import { coordinatorLockName, hostLockName } from '../names.ts';
import type { HostToCoordinator } from '../protocol.ts';

export interface CoordinatorService {
  readonly coordinator: Coordinator;
  /** The Web Lock this coordinator holds for its life (names.ts `coordinatorLockName`). */
  readonly livenessLock: string;
  /** Serve one tab (or devtools page) over `port`. */
  accept(port: MessagePort): void;
}

/** How long a deleted namespace's wipe waits for an object's lock (its worker was told to stop already). */
const WIPE_LOCK_TIMEOUT_MS = 10_000;

/** Start a coordinator; messages from another origin than `origin` are ignored. */
export function startCoordinatorService(origin: string): CoordinatorService {
  const registry = new Registry();
  /**
   * Held for this coordinator's whole life: tabs learn it died when they are
   * granted it (a MessagePort never says so). Named per instance, so a new
   * coordinator never waits for the old one's lock. Messages are handled only
   * once it is held, so no tab is welcomed with a lock not yet taken.
   */
  const livenessLock = coordinatorLockName(crypto.randomUUID());
  const lockHeld = new Promise<void>((held) => {
    void navigator.locks.request(livenessLock, () => {
      held();
      return new Promise<never>(() => {});
    });
  });
  // The alarm clock: rebuilt from IndexedDB by every new coordinator; delivers through the coordinator's placement.
  const alarms = new AlarmScheduler({ store: new AlarmSchedule(), deliver: alarmDelivery(() => coordinator) });
  const coordinator: Coordinator = new Coordinator({
    livenessLock,
    hostReady: () => alarms.hostAvailable(),
    alarms: () => alarms.entries(),
    alarmReported: ({ address, epoch, seq, time }) => alarms.report(address, epoch, seq, time),
    placed: (address) => void registry.recordPlacement(address).catch((e) => console.warn('[hearth] registry', e)),
    registry: async () => (await registry.list()).map(({ key, className, id, name, jurisdiction, created, lastPlaced, placements, sizeBytes }) => ({
      key, className, id, created, lastPlaced, placements, ...(name !== undefined ? { name } : {}),
      ...(jurisdiction !== undefined ? { jurisdiction } : {}), ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    })),
    sizeReported: (address, sizeBytes) => void registry.recordSize(address, sizeBytes).catch((e) => console.warn('[hearth] registry', e)),
    fireAlarmNow: (key) => alarms.fireNow(key),
    // The devtools' namespace wipe: storage as a `deleted_classes` migration removes it, then alarms and records.
    wipeNamespace: async (namespaceKey) => {
      await wipeNamespace(namespaceKey, WIPE_LOCK_TIMEOUT_MS);
      await alarms.forgetNamespaces([namespaceKey]);
      await registry.forgetNamespace(namespaceKey);
    },
    appliedMigrations: (script) => registry.appliedMigrations(script),
    // Storage first, then the records and the tag in one transaction: a wipe cut
    // short is simply done again (wiping is idempotent), never recorded as done.
    applyMigration: async (script, migration, classes) => {
      for (const namespaceKey of migration.deletedNamespaceKeys) await wipeNamespace(namespaceKey, WIPE_LOCK_TIMEOUT_MS);
      await alarms.forgetNamespaces(migration.deletedNamespaceKeys);
      await registry.recordMigration(script, migration.tag, migration.deletedNamespaceKeys, classes);
    },
    // A host holds its lock (`hostLockName`) for its whole life; our request is granted when it dies.
    watchHost: (hostId, gone) => {
      void navigator.locks.request(hostLockName(hostId), async () => gone());
    },
  });

  return {
    coordinator,
    livenessLock,
    accept(port) {
      let link: HostLink | undefined;
      port.onmessage = (e: MessageEvent<HostToCoordinator>) => {
        // Only pages of this origin can reach a SharedWorker or the relay; check anyway, cheaply.
        if (e.origin && e.origin !== origin) return;
        const message = e.data;
        if (message.type === 'hello') {
          const hostId = message.hostId;
          link = { hostId, post: (m, transfer = []) => port.postMessage(m, transfer) };
        }
        if (message.type === 'devtools') {
          link = { hostId: `devtools:${message.clientId}`, post: (m, transfer = []) => port.postMessage(m, transfer) };
        }
        // Promise reactions run in the order they were registered: messages keep their order.
        if (link) {
          const to = link;
          void lockHeld.then(() => coordinator.receive(to, message));
        }
      };
      port.start();
    },
  };
}
