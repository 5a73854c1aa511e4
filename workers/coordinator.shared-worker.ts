/**
 * Entry for the coordinator SharedWorker: wires each connecting page to the
 * context-independent `Coordinator` and gives it Web Locks and IndexedDB.
 */
import { Coordinator, type HostLink } from '../src/coordinator/coordinator.ts';
import { wipeNamespace } from '../src/coordinator/namespace-wipe.ts';
import { Registry } from '../src/coordinator/registry.ts';
import { AlarmSchedule } from '../src/coordinator/alarm-schedule.ts';
import { AlarmScheduler } from '../src/coordinator/alarm-scheduler.ts';
import { alarmDelivery } from '../src/coordinator/alarm-delivery.ts';
import { coordinatorLockName, hostLockName } from '../src/names.ts';
import type { HostToCoordinator } from '../src/protocol.ts';

interface SharedWorkerScope {
  onconnect: ((event: MessageEvent) => void) | null;
  location: Location;
}
const scope = globalThis as unknown as SharedWorkerScope;

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
/** How long a deleted namespace's wipe waits for an object's lock (its worker was told to stop already). */
const WIPE_LOCK_TIMEOUT_MS = 10_000;
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

scope.onconnect = (event) => {
  const port = event.ports[0]!;
  let link: HostLink | undefined;
  port.onmessage = (e: MessageEvent<HostToCoordinator>) => {
    // Only pages of this origin can reach a SharedWorker; check anyway, cheaply.
    if (e.origin && e.origin !== scope.location.origin) return;
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
};
