/**
 * The caller's side of JS RPC over one `ObjectConnection`:
 *  - calls on the object (target 0) and on stubs it returned (pinned to the
 *    instance that returned them);
 *  - functions the caller passes as arguments are exported for the duration
 *    of the call (Cloudflare disposes parameter stubs when the call returns),
 *    and served when the object calls them back;
 *  - stubs the object returned are released when garbage-collected.
 */
import type { CallResult, ObjectConnection } from './object-connection.ts';
import { serializeError } from '../errors.ts';
import type { ToCaller } from '../protocol.ts';
import { invokeOnReceiver } from '../rpc/rpc-receiver.ts';
import { rpcStub } from '../rpc/rpc-stub.ts';
import { decode, encode, type Exporter, type StubImporter } from '../rpc/rpc-value.ts';

export class RpcClient {
  readonly #connection: ObjectConnection;
  readonly #exports = new Map<number, unknown>();
  #nextExport = 1;
  readonly #released = new FinalizationRegistry<{ epoch: number; target: number }>(({ epoch, target }) =>
    this.#connection.post(epoch, { t: 'release', target }),
  );

  readonly #importStub: StubImporter | undefined;

  /** `importStub`: makes this context's stub for a Durable Object stub the object sends back. */
  constructor(connection: ObjectConnection, importStub?: StubImporter) {
    this.#connection = connection;
    this.#importStub = importStub;
    connection.onInvoke = (epoch, message) => void this.#serve(epoch, message);
  }

  /** A call or property read on the object itself (target 0). */
  callObject(path: string[], args: unknown[] | null): Promise<unknown> {
    return this.#call(0, undefined, path, args);
  }

  async #call(target: number, pin: number | undefined, path: string[], args: unknown[] | null): Promise<unknown> {
    const exported: number[] = [];
    const exporter: Exporter = {
      exportRef: (value) => {
        const id = this.#nextExport++;
        this.#exports.set(id, value);
        exported.push(id);
        return id;
      },
    };
    const { encoded, transfer } = args === null ? { encoded: null, transfer: [] } : encode(args, exporter);
    let result: CallResult;
    try {
      result = await this.#connection.call({ kind: 'rpc', target, path, args: encoded }, transfer, pin);
    } finally {
      for (const id of exported) this.#exports.delete(id);
    }
    const { value, epoch } = result;
    return decode(value as never, (id) => this.#import(epoch, id), this.#importStub);
  }

  #import(epoch: number, id: number): unknown {
    // Released when the last of its copies (dup()) is disposed, or else when all of them are garbage-collected.
    const token = {};
    return rpcStub((path, args) => this.#call(id, epoch, path, args), {
      release: () => {
        this.#released.unregister(token);
        this.#connection.post(epoch, { t: 'release', target: id });
      },
      track: (handle) => this.#released.register(handle, { epoch, target: id }, token),
    });
  }

  async #serve(epoch: number, message: Extract<ToCaller, { t: 'invoke' }>): Promise<void> {
    const { iid, target, path } = message;
    try {
      const receiver = this.#exports.get(target);
      if (receiver === undefined) throw new Error('RPC stub used after being disposed.');
      const args = message.args === null ? null : (decode(message.args, (id) => this.#import(epoch, id), this.#importStub) as unknown[]);
      const value = await invokeOnReceiver(receiver, { path, args }, false);
      // What a callback returns to the object stays callable for as long as this connection lives.
      const { encoded, transfer } = encode(value, {
        exportRef: (v) => {
          const id = this.#nextExport++;
          this.#exports.set(id, v);
          return id;
        },
      });
      this.#connection.post(epoch, { t: 'invoked', iid, ok: true, value: encoded }, transfer);
    } catch (error) {
      const data = serializeError(error);
      data.props = { ...data.props, remote: true };
      this.#connection.post(epoch, { t: 'invoked', iid, ok: false, error: data });
    }
  }
}
