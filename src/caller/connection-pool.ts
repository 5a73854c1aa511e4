/**
 * One `ObjectConnection` per object per context, shared by every stub for it,
 * so calls from one context to one object stay ordered on one endpoint.
 */
import { objectKey, type ObjectAddress } from '../protocol.ts';
import type { Connector } from './stub.ts';
import { ObjectConnection, type Resolver } from './object-connection.ts';

export class ConnectionPool implements Connector {
  readonly #resolver: Resolver;
  readonly #beforeSend: (() => Promise<void>) | undefined;
  readonly #connections = new Map<string, ObjectConnection>();

  constructor(resolver: Resolver, beforeSend?: () => Promise<void>) {
    this.#resolver = resolver;
    this.#beforeSend = beforeSend;
  }

  connectionFor(address: ObjectAddress): ObjectConnection {
    const key = objectKey(address);
    let connection = this.#connections.get(key);
    if (!connection) {
      connection = new ObjectConnection(address, this.#resolver, this.#beforeSend);
      connection.connector = this;
      this.#connections.set(key, connection);
    }
    return connection;
  }

  lost(key: string, epoch: number, error?: Error): void {
    this.#connections.get(key)?.lost(epoch, error);
  }

  close(error: Error): void {
    for (const connection of this.#connections.values()) connection.close(error);
    this.#connections.clear();
  }
}
