/**
 * The devtools page's link to the coordinator: a client that never hosts
 * objects (protocol.ts, `devtools`). It asks for the directory and registry
 * (`inspect`) and for a direct port to an object (`resolve`), exactly as a
 * caller does; the coordinator places an object that is not live on a host
 * tab, never here.
 *
 * Where the coordinator runs is the app tabs' choice, made in each tab by
 * `start()` (`hearth.coordinator`, or no SharedWorker in the browser), so the
 * page finds out rather than reading a config:
 *  - a leader tab, when the leader lock (`LEADER_LOCK`) is held or asked
 *    for, or when this browser has no SharedWorker: the page reaches the
 *    leader through the relay service worker, as a tab that is not leader
 *    does (host/coordinator-relay.ts). It never asks for the leader lock, so
 *    it never becomes leader and never hosts the coordinator: a devtools page
 *    is the one tab the user closes first, and the leader's state (placements
 *    in flight, the alarm clock) should not go with it.
 *  - else, once some coordinator is alive (it holds its liveness lock), the
 *    origin's coordinator SharedWorker (same script URL and name as the
 *    hosts', so the same instance);
 *  - with no coordinator anywhere (no app tab is open) it waits and looks
 *    again: starting a SharedWorker coordinator itself would run a second
 *    one — with its own alarm clock over the same IndexedDB schedule — if
 *    the tabs that come later elect a leader.
 * After a leader died the page looks for the next leader first (a reload of
 * the only app tab leaves the lock free for a moment). Attached to a
 * SharedWorker while the tabs elect a leader, it moves to the leader on the
 * next `inspect`.
 *
 * The link itself is the tabs' own (host/coordinator-link.ts): welcomed with
 * the coordinator's liveness lock, it re-attaches when that lock is granted,
 * and asks its open questions again; orders (`act`) are never sent twice.
 */
import { CoordinatorLink, type ConnectReason } from '../host/coordinator-link.ts';
import { CoordinatorRelay } from '../host/coordinator-relay.ts';
import { COORDINATOR_NAME, isCoordinatorLock, LEADER_LOCK } from '../names.ts';
import type {
  AlarmEntry,
  CoordinatorToHost,
  DevtoolsCoordinatorAction,
  DirectoryEntry,
  HostToCoordinator,
  ObjectAddress,
  RegistryEntry,
} from '../protocol.ts';

/** A question the coordinator does not answer in this long fails (it never hangs the page). */
const ANSWER_TIMEOUT_MS = 15_000;
/** A connection that brings no welcome in this long is tried again (past the relay's own 10 s wait for a leader). */
const WELCOME_TIMEOUT_MS = 12_000;
/** How often the page looks for a coordinator while none is alive. */
const LOOK_AGAIN_MS = 500;

export type CoordinatorMode = 'shared-worker' | 'leader-tab';

export interface CoordinatorView {
  coordinatorId: string;
  live: DirectoryEntry[];
  registry: RegistryEntry[];
  /** The alarm schedule. */
  alarms?: AlarmEntry[];
}

/** Whether the app's tabs elect a leader tab (one holds the leader lock, or waits for it), and whether any coordinator is alive. */
async function lookAround(): Promise<{ leaderElected: boolean; coordinatorAlive: boolean }> {
  const { held = [], pending = [] } = await navigator.locks.query();
  return {
    leaderElected: [...held, ...pending].some((lock) => lock.name === LEADER_LOCK),
    coordinatorAlive: held.some((lock) => isCoordinatorLock(lock.name)),
  };
}

export class CoordinatorClient {
  readonly clientId = crypto.randomUUID();
  readonly #link: CoordinatorLink;
  #relay: CoordinatorRelay | undefined;
  /** Where the current (or last) connection went. */
  mode: CoordinatorMode | undefined;

  constructor() {
    this.#link = new CoordinatorLink({
      connect: (why) => this.#connect(why),
      hello: async () => ({ type: 'devtools', clientId: this.clientId }),
      // Everything a devtools page hears is an answer; `place`, `connect`, `lost` are for hosts.
      receive: () => {},
      coordinatorLost: (id) => console.info(`[hearth devtools] the coordinator ${id} is gone; re-attaching`),
      welcomeTimeoutMs: WELCOME_TIMEOUT_MS,
    });
    void this.#link.attach();
  }

  async #connect(why: ConnectReason): Promise<MessagePort> {
    let mode: CoordinatorMode | undefined;
    while (!mode) {
      const { leaderElected, coordinatorAlive } = await lookAround();
      if (typeof SharedWorker === 'undefined' || leaderElected || (why === 'lost' && this.mode === 'leader-tab')) mode = 'leader-tab';
      else if (coordinatorAlive) mode = 'shared-worker';
      else await new Promise((wait) => setTimeout(wait, LOOK_AGAIN_MS));
    }
    this.mode = mode;
    if (mode === 'shared-worker') {
      // The same script URL and name as every host's (host/runtime.ts), so this is the origin's one coordinator.
      return new SharedWorker(new URL('../../workers/coordinator.shared-worker.ts', import.meta.url), {
        type: 'module',
        name: COORDINATOR_NAME,
      }).port;
    }
    // The same relay script as the tabs' (host/runtime.ts): registering it again changes nothing.
    this.#relay ??= new CoordinatorRelay(new URL('../../workers/relay.service-worker.ts', import.meta.url));
    const channel = new MessageChannel();
    this.#relay.connect(channel.port2);
    return channel.port1;
  }

  #ask<T extends CoordinatorToHost>(build: (rid: number) => HostToCoordinator, once = false): Promise<T> {
    return this.#link.ask<T>(build, { timeoutMs: ANSWER_TIMEOUT_MS, once });
  }

  async inspect(): Promise<CoordinatorView> {
    // Opened before the app's tabs, the page may have reached a SharedWorker that no tab uses.
    if (this.mode === 'shared-worker' && this.#link.attached && (await lookAround()).leaderElected) this.#link.reconnect();
    const answer = await this.#ask<Extract<CoordinatorToHost, { type: 'inspected' }>>((rid) => ({ type: 'inspect', rid }));
    return { coordinatorId: answer.coordinatorId, live: answer.live, registry: answer.registry, alarms: answer.alarms ?? [] };
  }

  /** Something only the coordinator can do (fire an alarm now, wipe a namespace); rejects with its error. */
  async act(action: DevtoolsCoordinatorAction): Promise<void> {
    await this.#ask((rid) => ({ type: 'devtools-action', rid, action }), true);
  }

  /** A direct port to the object's worker (placing it if it is not live), and the tab that hosts it. */
  async resolve(address: ObjectAddress, staleEpoch?: number): Promise<{ epoch: number; port: MessagePort; hostId: string }> {
    const answer = await this.#ask<Extract<CoordinatorToHost, { type: 'resolved' }>>((rid) => ({
      type: 'resolve',
      rid,
      address,
      ...(staleEpoch !== undefined ? { staleEpoch } : {}),
    }));
    if (!answer.port) throw new Error('The coordinator placed an object on the devtools page.');
    return { epoch: answer.epoch, port: answer.port, hostId: answer.hostId };
  }
}
