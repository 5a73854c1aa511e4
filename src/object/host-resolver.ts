/**
 * How an object reaches other objects: a dedicated worker cannot connect to
 * the coordinator SharedWorker, so it asks its host page, which asks the
 * coordinator and passes back a direct port.
 */
import { deserializeError, type SerializedError } from '../errors.ts';
import type { ObjectAddress, ObjectToHost } from '../protocol.ts';
import { portEndpoint, type Resolution, type Resolver } from '../caller/object-connection.ts';

export class HostResolver implements Resolver {
  readonly #toHost: (message: ObjectToHost) => void;
  readonly #waiting = new Map<number, { resolve(r: Resolution): void; reject(e: Error): void }>();
  #nextRid = 1;

  constructor(toHost: (message: ObjectToHost) => void) {
    this.#toHost = toHost;
  }

  resolve(address: ObjectAddress, staleEpoch?: number): Promise<Resolution> {
    return new Promise((resolve, reject) => {
      const rid = this.#nextRid++;
      this.#waiting.set(rid, { resolve, reject });
      this.#toHost({ type: 'resolve', rid, address, ...(staleEpoch !== undefined ? { staleEpoch } : {}) });
    });
  }

  resolved(rid: number, epoch: number, port: MessagePort): void {
    const w = this.#waiting.get(rid);
    this.#waiting.delete(rid);
    if (w) w.resolve({ epoch, endpoint: portEndpoint(port) });
    else port.close();
  }

  failed(rid: number, error: SerializedError): void {
    const w = this.#waiting.get(rid);
    this.#waiting.delete(rid);
    w?.reject(deserializeError(error));
  }
}
