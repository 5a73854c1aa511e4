/**
 * The devtools page's link to the coordinator: a client that never hosts
 * objects (protocol.ts, `devtools`). It asks for the directory and registry
 * (`inspect`) and for a direct port to an object (`resolve`), exactly as a
 * caller does; the coordinator places an object that is not live on a host
 * tab, never here.
 */
import { deserializeError } from '../errors.ts';
import { COORDINATOR_NAME } from '../names.ts';
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

export interface CoordinatorView {
  coordinatorId: string;
  live: DirectoryEntry[];
  registry: RegistryEntry[];
  /** The alarm schedule. */
  alarms?: AlarmEntry[];
}

export class CoordinatorClient {
  readonly clientId = crypto.randomUUID();
  #port!: MessagePort;
  #rid = 1;
  readonly #waiting = new Map<number, { resolve(m: CoordinatorToHost): void; reject(e: Error): void }>();

  constructor() {
    this.#connect();
  }

  /**
   * (Re)connect. A coordinator that died (it can share a crashed tab's
   * process) never answers again; a question that timed out reconnects, and
   * the browser then gives this page the live coordinator or a fresh one.
   */
  #connect(): void {
    this.#port?.close();
    // The same script URL and name as every host's (host/coordinator-link.ts), so this is the origin's one coordinator.
    const worker = new SharedWorker(new URL('../../workers/coordinator.shared-worker.ts', import.meta.url), {
      type: 'module',
      name: COORDINATOR_NAME,
    });
    this.#port = worker.port;
    this.#port.onmessage = (event: MessageEvent<CoordinatorToHost>) => {
      const message = event.data;
      if (!('rid' in message)) return;
      const waiter = this.#waiting.get(message.rid);
      if (!waiter) return;
      this.#waiting.delete(message.rid);
      if (message.type === 'resolve-failed') waiter.reject(deserializeError(message.error) as Error);
      else if (message.type === 'devtools-done' && message.error) waiter.reject(deserializeError(message.error) as Error);
      else waiter.resolve(message);
    };
    this.#port.start();
    this.#send({ type: 'devtools', clientId: this.clientId });
  }

  #send(message: HostToCoordinator): void {
    this.#port.postMessage(message);
  }

  #ask<T extends CoordinatorToHost>(build: (rid: number) => HostToCoordinator): Promise<T> {
    return new Promise((resolve, reject) => {
      const rid = this.#rid++;
      const timer = setTimeout(() => {
        this.#waiting.delete(rid);
        this.#connect();
        reject(new Error('The coordinator did not answer; reconnecting.'));
      }, ANSWER_TIMEOUT_MS);
      this.#waiting.set(rid, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#send(build(rid));
    });
  }

  async inspect(): Promise<CoordinatorView> {
    const answer = await this.#ask<Extract<CoordinatorToHost, { type: 'inspected' }>>((rid) => ({ type: 'inspect', rid }));
    return { coordinatorId: answer.coordinatorId, live: answer.live, registry: answer.registry, alarms: answer.alarms ?? [] };
  }

  /** Something only the coordinator can do (fire an alarm now, wipe a namespace); rejects with its error. */
  async act(action: DevtoolsCoordinatorAction): Promise<void> {
    await this.#ask((rid) => ({ type: 'devtools-action', rid, action }));
  }

  /** A direct port to the object's worker (placing it if it is not live). */
  async resolve(address: ObjectAddress, staleEpoch?: number): Promise<{ epoch: number; port: MessagePort }> {
    const answer = await this.#ask<Extract<CoordinatorToHost, { type: 'resolved' }>>((rid) => ({
      type: 'resolve',
      rid,
      address,
      ...(staleEpoch !== undefined ? { staleEpoch } : {}),
    }));
    if (!answer.port) throw new Error('The coordinator placed an object on the devtools page.');
    return { epoch: answer.epoch, port: answer.port };
  }
}
