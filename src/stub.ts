/**
 * `DurableObjectStub`: what `namespace.get(id)` returns. `fetch()` has the
 * global `fetch`'s signature and builds a real `Request` on the object's side.
 */
import type { ObjectConnection } from './client/object-connection.ts';
import type { DurableObjectId } from './object-id.ts';
import type { ObjectAddress } from './protocol.ts';
import { requestToWire, wireToResponse } from './wire/http.ts';

export interface Connector {
  /** One connection per object per context, shared by all its stubs. */
  connectionFor(address: ObjectAddress): ObjectConnection;
}

export class DurableObjectStub {
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
    const reply = await this.#connection.call({ kind: 'fetch', request: wire }, transfer);
    return wireToResponse(reply);
  }
}
