/**
 * The coordinator in a tab, for browsers without SharedWorker (Android Chrome
 * before 148) or when `hearth.coordinator` is `"leader-tab"`.
 *
 * Every tab queues for one Web Lock (`LEADER_LOCK`); the tab holding it runs
 * the coordinator service — the very code the SharedWorker runs
 * (coordinator/coordinator-service.ts) — and the others reach it through
 * ports. Two unrelated tabs cannot hand each other a `MessagePort` (a
 * `BroadcastChannel` carries no transferables, and objects' replies carry
 * streams and ports), so a tiny relay service worker passes each tab's port to
 * the leader, which announces itself to it (workers/relay.service-worker.ts). From then on the
 * link is an ordinary port, and everything brokered over it — ports to object
 * workers in other tabs — is as with a SharedWorker.
 *
 * When the leader closes or crashes, its locks are released together: the
 * next queued tab is granted the leader lock and starts a fresh coordinator,
 * and every tab, granted the old coordinator's liveness lock, re-attaches
 * (coordinator-link.ts) and says hello with what it hosts. The new
 * coordinator rebuilds its state as a restarted SharedWorker does: the
 * directory from those hellos (objects' own locks stay the ground truth of
 * uniqueness), the registry and the alarm schedule from IndexedDB.
 *
 * Leadership belongs to the tab, not to one `start()`: a runtime closed and
 * started again in the same tab (the playground) keeps serving, and the
 * other tabs are not disturbed.
 */
import { startCoordinatorService, type CoordinatorService } from '../coordinator/coordinator-service.ts';
import { LEADER_LOCK } from '../names.ts';
import type { RelayMessage } from '../protocol.ts';
import { CoordinatorRelay } from './coordinator-relay.ts';

/** A port the relay brought before this tab's lock callback ran: kept that long, at most. */
const EARLY_PORT_MS = 2_000;

export class LeaderTab {
  #service: CoordinatorService | undefined;
  readonly #early = new Set<MessagePort>();
  readonly #relay: CoordinatorRelay;
  /** Settles once this tab knows whether it leads from the start (the lock was free). */
  readonly #firstTry: Promise<void>;

  constructor(relayUrl: URL) {
    navigator.serviceWorker.addEventListener('message', (event) => {
      if (event.origin && event.origin !== location.origin) return;
      const data = event.data as RelayMessage | null;
      const port = event.ports[0];
      if (data?.type === 'hearth:coordinator-connect' && port) this.#incoming(port);
      if (data?.type === 'hearth:who-leads' && this.#service) this.#announce();
    });
    // addEventListener alone leaves a client's queue of service-worker messages closed.
    navigator.serviceWorker.startMessages();
    this.#relay = new CoordinatorRelay(relayUrl);
    const lead = () => {
      const service = startCoordinatorService(location.origin);
      this.#service = service;
      for (const port of this.#early) service.accept(port);
      this.#early.clear();
      this.#announce();
      return new Promise<never>(() => {});
    };
    // Free now: lead at once, and reach our own coordinator without the relay. Else queue for it.
    this.#firstTry = new Promise<void>((settled) => {
      void navigator.locks.request(LEADER_LOCK, { ifAvailable: true }, (lock) => {
        settled();
        if (lock) return lead();
        void navigator.locks.request(LEADER_LOCK, lead);
        return undefined;
      });
    });
  }

  /** Whether this tab runs the coordinator now. */
  get leading(): boolean {
    return this.#service !== undefined;
  }

  /** A port to the current coordinator: local if this tab leads, else through the relay. */
  connect(): MessagePort {
    const channel = new MessageChannel();
    void this.#firstTry.then(() => {
      if (this.#service) return this.#service.accept(channel.port2);
      this.#relay.connect(channel.port2);
    });
    return channel.port1;
  }

  /** Tell the relay this tab leads, with the lock that proves it. */
  #announce(): void {
    const lock = this.#service!.livenessLock;
    void this.#relay.post({ type: 'hearth:leader-here', lock } satisfies RelayMessage).catch(() => {});
  }

  #incoming(port: MessagePort): void {
    if (this.#service) return this.#service.accept(port);
    // The relay saw this tab holding the lock a moment before the lock's callback ran here.
    this.#early.add(port);
    setTimeout(() => {
      if (this.#early.delete(port)) port.close();
    }, EARLY_PORT_MS);
  }
}

let tab: LeaderTab | undefined;

/** This tab's place in the election: one per tab, however many runtimes it starts. */
export function leaderTab(relayUrl: URL): LeaderTab {
  return (tab ??= new LeaderTab(relayUrl));
}
