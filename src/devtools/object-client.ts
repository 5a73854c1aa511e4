/**
 * Devtools requests to one object (`DevtoolsRequest`), sent as `devtools`
 * calls on a direct port — the same data plane every caller uses, so each
 * request is an event through the object's input and output gates.
 *
 * A port is kept per object and dropped when the instance says `closed` or
 * refuses a call (`retry`): the request is then sent again to the next
 * instance. A port never says its peer died, so the page also watches the
 * lock of the tab hosting the instance (host/host-watch.ts): when that tab
 * closes or crashes, requests that only read are sent again to the next
 * instance and the others fail as a lost connection (they may have run).
 * A request that gets no answer in `CALL_TIMEOUT_MS` fails.
 */
import { deserializeError, networkConnectionLost } from '../errors.ts';
import { HostWatch } from '../host/host-watch.ts';
import { objectKey, type DevtoolsAnswer, type DevtoolsRequest, type ObjectAddress, type ToCaller } from '../protocol.ts';
import type { CoordinatorClient } from './coordinator-client.ts';

const CALL_TIMEOUT_MS = 20_000;
const MAX_ATTEMPTS = 4;

interface Connection {
  epoch: number;
  port: MessagePort;
  pending: Map<number, { request: DevtoolsRequest; resolve(a: DevtoolsAnswer): void; reject(e: unknown): void; retry(): void }>;
  closed: boolean;
}

/** Requests that change nothing, so sending one again after a lost connection is safe. */
function readsOnly(request: DevtoolsRequest): boolean {
  return request.op === 'storage' || request.op === 'export' || (request.op === 'sql' && !request.write);
}

export class ObjectClient {
  readonly #coordinator: CoordinatorClient;
  readonly #connections = new Map<string, Promise<Connection>>();
  readonly #hosts = new HostWatch();
  #cid = 1;

  constructor(coordinator: CoordinatorClient) {
    this.#coordinator = coordinator;
  }

  async ask(address: ObjectAddress, request: DevtoolsRequest): Promise<DevtoolsAnswer> {
    let staleEpoch: number | undefined;
    for (let attempt = 1; ; attempt++) {
      const connection = await this.#connect(address, staleEpoch);
      const outcome = await this.#call(connection, request);
      if (outcome !== 'retry') return outcome;
      staleEpoch = connection.epoch;
      this.#connections.delete(objectKey(address));
      if (attempt >= MAX_ATTEMPTS) throw new Error('The object kept stopping; try again.');
    }
  }

  #connect(address: ObjectAddress, staleEpoch?: number): Promise<Connection> {
    const key = objectKey(address);
    const known = this.#connections.get(key);
    if (known && staleEpoch === undefined) return known;
    const made = this.#coordinator.resolve(address, staleEpoch).then(({ epoch, port, hostId }) => {
      const connection: Connection = { epoch, port, pending: new Map(), closed: false };
      this.#hosts.watch(hostId, () => {
        if (connection.closed) return;
        connection.closed = true;
        port.close();
        if (this.#connections.get(key) === made) this.#connections.delete(key);
        for (const waiter of connection.pending.values()) {
          if (readsOnly(waiter.request)) waiter.retry();
          else waiter.reject(networkConnectionLost());
        }
        connection.pending.clear();
      });
      port.onmessage = (event: MessageEvent<ToCaller>) => {
        const reply = event.data;
        if (reply.t === 'closed') {
          connection.closed = true;
          if (this.#connections.get(key) === made) this.#connections.delete(key);
          // Calls it never answered go to the next instance.
          for (const waiter of connection.pending.values()) waiter.retry();
          connection.pending.clear();
          return;
        }
        if (reply.t === 'invoke' || reply.t === 'accepted') return;
        const waiter = connection.pending.get(reply.cid);
        if (!waiter) return;
        connection.pending.delete(reply.cid);
        if (reply.t === 'retry') waiter.retry();
        else if (reply.t === 'ok') waiter.resolve(reply.value as unknown as DevtoolsAnswer);
        else waiter.reject(deserializeError(reply.error));
      };
      port.start();
      return connection;
    });
    this.#connections.set(key, made);
    made.catch(() => this.#connections.delete(key));
    return made;
  }

  #call(connection: Connection, request: DevtoolsRequest): Promise<DevtoolsAnswer | 'retry'> {
    if (connection.closed) return Promise.resolve('retry');
    return new Promise((resolve, reject) => {
      const cid = this.#cid++;
      const timer = setTimeout(() => {
        connection.pending.delete(cid);
        reject(new Error('The object did not answer in time.'));
      }, CALL_TIMEOUT_MS);
      connection.pending.set(cid, {
        request,
        resolve: (answer) => {
          clearTimeout(timer);
          resolve(answer);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        retry: () => {
          clearTimeout(timer);
          resolve('retry');
        },
      });
      connection.port.postMessage({ t: 'call', cid, payload: { kind: 'devtools', request } });
    });
  }
}
