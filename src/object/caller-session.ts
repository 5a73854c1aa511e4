/**
 * What an object keeps per caller endpoint for JS RPC: the functions and
 * `RpcTarget`s it handed that caller (so later calls can reach them), and the
 * calls it makes into functions the caller passed it.
 *
 * Outgoing calls into the caller wait for the output gate, like any output.
 */
import { deserializeError, networkConnectionLost } from '../errors.ts';
import type { ToCaller, ToObject } from '../protocol.ts';
import { rpcStub } from '../rpc/rpc-stub.ts';
import { decode, encode, type EncodedValue, type Exporter, type StubImporter } from '../rpc/rpc-value.ts';

export interface CallEndpoint {
  postMessage(message: ToCaller, transfer?: Transferable[]): void;
}

export class CallerSession implements Exporter {
  readonly #endpoint: CallEndpoint;
  readonly #beforeSend: () => Promise<void>;
  readonly exports = new Map<number, unknown>();
  readonly #byValue = new Map<unknown, number>();
  #nextExport = 1;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #nextIid = 1;

  readonly #importStub: StubImporter | undefined;

  /** `importStub`: makes this object's own stub for a Durable Object stub a caller passed in. */
  constructor(endpoint: CallEndpoint, beforeSend: () => Promise<void>, importStub?: StubImporter) {
    this.#endpoint = endpoint;
    this.#beforeSend = beforeSend;
    this.#importStub = importStub;
  }

  exportRef(value: object): number {
    // The same function or target handed out twice keeps one id.
    const known = this.#byValue.get(value);
    if (known !== undefined) return known;
    const id = this.#nextExport++;
    this.exports.set(id, value);
    this.#byValue.set(value, id);
    return id;
  }

  release(id: number): void {
    const value = this.exports.get(id);
    this.exports.delete(id);
    this.#byValue.delete(value);
  }

  /** A stub for something the caller passed in: calling it calls back into the caller. */
  importRef = (id: number): unknown => rpcStub((path, args) => this.#invoke(id, path, args));

  decodeArgs(encoded: EncodedValue): unknown[] {
    return decode(encoded, this.importRef, this.#importStub) as unknown[];
  }

  async #invoke(target: number, path: string[], args: unknown[] | null): Promise<unknown> {
    const { encoded, transfer } = args === null ? { encoded: null, transfer: [] } : encode(args, this);
    await this.#beforeSend();
    const iid = this.#nextIid++;
    const value = await new Promise<unknown>((resolve, reject) => {
      this.#pending.set(iid, { resolve, reject });
      this.#endpoint.postMessage({ t: 'invoke', iid, target, path, args: encoded }, transfer);
    });
    return decode(value as EncodedValue, this.importRef, this.#importStub);
  }

  onInvoked(message: Extract<ToObject, { t: 'invoked' }>): void {
    const pending = this.#pending.get(message.iid);
    if (!pending) return;
    this.#pending.delete(message.iid);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(deserializeError(message.error));
  }

  /** The caller is gone: its functions can no longer be called. */
  close(): void {
    for (const pending of this.#pending.values()) pending.reject(networkConnectionLost());
    this.#pending.clear();
    this.exports.clear();
    this.#byValue.clear();
  }
}
