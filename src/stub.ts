/**
 * `DurableObjectStub`: what `namespace.get(id)` returns.
 *
 * Its own members are `id`, `name`, `fetch` and `connect`; every other
 * property name is JS RPC on the object (`await stub.increment(2)`), as
 * workerd's wildcard does. The stub itself is not thenable.
 */
import type { ObjectConnection } from './client/object-connection.ts';
import type { DurableObjectId } from './object-id.ts';
import type { ObjectAddress, WireResponse } from './protocol.ts';
import { RpcClient } from './rpc/rpc-client.ts';
import { requestToWire, wireToResponse } from './wire/http.ts';

export interface Connector {
  /** One connection per object per context, shared by all its stubs. */
  connectionFor(address: ObjectAddress): ObjectConnection;
}

const rpcClients = new WeakMap<ObjectConnection, RpcClient>();

function rpcClientFor(connection: ObjectConnection): RpcClient {
  let client = rpcClients.get(connection);
  if (!client) rpcClients.set(connection, (client = new RpcClient(connection)));
  return client;
}

class StubBase {
  readonly id: DurableObjectId;
  readonly name?: string;
  readonly #connection: ObjectConnection;

  constructor(id: DurableObjectId, connection: ObjectConnection) {
    this.id = id;
    if (id.name !== undefined) this.name = id.name;
    this.#connection = connection;
  }

  async fetch(input: RequestInfo | URL, init?: RequestInit & { cf?: unknown }): Promise<Response> {
    const { wire, transfer } = await requestToWire(input, init);
    const { value } = await this.#connection.call({ kind: 'fetch', request: wire }, transfer);
    return wireToResponse(value as WireResponse);
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

/** The stub's own members; every other name is RPC (so `constructor`, `toString`… reach the object's rules). */
const STUB_MEMBERS = new Set(['id', 'name', 'fetch', 'connect']);

export function createStub<T = unknown>(id: DurableObjectId, connection: ObjectConnection): DurableObjectStub<T> {
  const base = new StubBase(id, connection);
  const rpc = rpcClientFor(connection);
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && STUB_MEMBERS.has(prop)) {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return rpc.property([prop]);
    },
  }) as DurableObjectStub<T>;
}
