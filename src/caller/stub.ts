/**
 * `DurableObjectStub`: what `namespace.get(id)` returns.
 *
 * Its own members are `id`, `name`, `fetch`, `connect` and `constructor`;
 * every other property name is JS RPC on the object (`await stub.increment(2)`),
 * as workerd's wildcard does. The stub itself is not thenable.
 *
 * A stub breaks when its object is reset (`durableObjectReset`): every later
 * call on it fails at once with that error, and a new stub reaches the fresh
 * instance (DO-API §2.1).
 */
import { STUB_ADDRESS, UNSERIALIZABLE_MESSAGE } from '../brands.ts';
import type { Connector, ObjectConnection } from './object-connection.ts';
import { DurableObjectId } from '../object-id.ts';
import type { ObjectAddress, WireResponse } from '../protocol.ts';
import { RpcClient } from './rpc-client.ts';
import { jsonAwareToJSON, rpcProperty } from '../rpc/rpc-stub.ts';
import { followRedirects, requestToWire, wireToResponse } from '../wire/http.ts';

export type { Connector };

const rpcClients = new WeakMap<ObjectConnection, RpcClient>();

function rpcClientFor(connection: ObjectConnection): RpcClient {
  let client = rpcClients.get(connection);
  if (!client) {
    const connector = connection.connector;
    const importStub = connector ? (address: ObjectAddress) => stubFromAddress(address, connector) : undefined;
    rpcClients.set(connection, (client = new RpcClient(connection, importStub)));
  }
  return client;
}

class StubBase {
  // Own properties in workerd's order, `name` present even when undefined: JSON.stringify(stub) is {"name":…,"id":…}.
  readonly name?: string;
  readonly id: DurableObjectId;
  readonly #connection: ObjectConnection;
  #broken: unknown;

  constructor(id: DurableObjectId, connection: ObjectConnection) {
    this.name = id.name;
    this.id = id;
    this.#connection = connection;
  }

  /** Storing a stub fails with workerd's text (read from the prototype: the Proxy hides symbols). */
  get [UNSERIALIZABLE_MESSAGE](): string {
    return 'ServiceStub cannot be serialized in this context.';
  }

  /** Run a call through this stub, breaking the stub if the object was reset. */
  async guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.#broken !== undefined) throw this.#broken;
    try {
      return await call();
    } catch (error) {
      if ((error as { durableObjectReset?: unknown } | null)?.durableObjectReset) this.#broken ??= error;
      throw error;
    }
  }

  fetch(input: RequestInfo | URL, init?: RequestInit & { cf?: unknown }): Promise<Response> {
    return this.guard(() =>
      followRedirects(input, init, async (i, n) => {
        const { wire, transfer } = await requestToWire(i, n);
        const { value } = await this.#connection.call({ kind: 'fetch', request: wire }, transfer);
        return wireToResponse(value as WireResponse);
      }),
    );
  }

  connect(): never {
    throw new Error('connect() (TCP sockets) is not available to Durable Objects in Hearth.');
  }
}

/** RPC methods of `T` (an `extends DurableObject` class) become async calls on the stub. */
export type DurableObjectStub<T = unknown> = StubBase & {
  [K in keyof T as K extends keyof StubBase ? never : K]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : Promise<Awaited<T[K]>>;
} & (unknown extends T ? Record<string, any> : unknown);

/** The stub's own members; every other name is RPC. */
const STUB_MEMBERS = new Set(['id', 'name', 'fetch', 'connect']);

/** workerd's stub class is named DurableObject and cannot be constructed from script. */
const DurableObject = function DurableObject(): never {
  throw new TypeError('Illegal constructor');
};

/** workerd's class of a Durable Object stub that arrived over RPC. */
const ServiceStub = function ServiceStub(): never {
  throw new TypeError('Illegal constructor');
};

/**
 * `received`: the stub arrived over RPC. As in workerd it is then a plain
 * service stub: no own `name` or `id` (both are RPC properties), its
 * constructor is `ServiceStub`, and `JSON.stringify` gives `{}`.
 */
export function createStub<T = unknown>(id: DurableObjectId, connection: ObjectConnection, received = false): DurableObjectStub<T> {
  const base = new StubBase(id, connection);
  const rpc = rpcClientFor(connection);
  const invoke = (path: string[], args: unknown[] | null) => base.guard(() => rpc.callObject(path, args));
  const toJSON = jsonAwareToJSON(
    (...args) => rpcProperty(invoke, ['toJSON'])(...args),
    () => (received ? {} : { name: base.name, id: base.id }),
  );
  return new Proxy(base, {
    ...(received ? { ownKeys: () => [], getOwnPropertyDescriptor: () => undefined } : {}),
    get(target, prop, receiver) {
      if (received && (prop === 'name' || prop === 'id')) return rpcProperty(invoke, [prop]);
      if (received && prop === 'constructor') return ServiceStub;
      if (typeof prop === 'string' && STUB_MEMBERS.has(prop)) {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      // `constructor` is the stub's own, as in workerd: calling it fails locally.
      if (prop === 'constructor') return DurableObject;
      if (prop === 'toJSON') return toJSON;
      if (prop === STUB_ADDRESS) return connection.address;
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return rpcProperty(invoke, [prop]);
    },
  }) as DurableObjectStub<T>;
}

/** A stub received over RPC (sent by address, see brands.ts STUB_ADDRESS): this context's own stub to that object. */
export function stubFromAddress(address: ObjectAddress, connector: Connector): DurableObjectStub {
  return createStub(new DurableObjectId(address.id, address.name, address.jurisdiction), connector.connectionFor(address), true);
}
