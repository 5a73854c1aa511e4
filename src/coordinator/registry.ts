/**
 * The coordinator's durable records (IndexedDB through `idb`): every object
 * ever created, with when it was created and last placed. The coordinator's
 * memory is not durable (a SharedWorker dies with its last tab), so anything
 * it must remember lives here.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { objectKey, type ObjectAddress } from '../protocol.ts';

export interface ObjectRecord {
  key: string;
  namespaceKey: string;
  className: string;
  id: string;
  name?: string;
  jurisdiction?: string;
  created: number;
  lastPlaced: number;
  placements: number;
}

interface RegistrySchema extends DBSchema {
  objects: { key: string; value: ObjectRecord; indexes: { byNamespace: string } };
}

export class Registry {
  readonly #db: Promise<IDBPDatabase<RegistrySchema>>;

  constructor(name = 'hearth-coordinator') {
    this.#db = openDB<RegistrySchema>(name, 1, {
      upgrade(db) {
        const objects = db.createObjectStore('objects', { keyPath: 'key' });
        objects.createIndex('byNamespace', 'namespaceKey');
      },
    });
  }

  async recordPlacement(address: ObjectAddress): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction('objects', 'readwrite');
    const key = objectKey(address);
    const now = Date.now();
    const existing = await tx.store.get(key);
    const record: ObjectRecord = existing ?? {
      key,
      namespaceKey: address.namespaceKey,
      className: address.className,
      id: address.id,
      created: now,
      lastPlaced: now,
      placements: 0,
    };
    if (address.name !== undefined) record.name = address.name;
    if (address.jurisdiction !== undefined) record.jurisdiction = address.jurisdiction;
    record.lastPlaced = now;
    record.placements++;
    await tx.store.put(record);
    await tx.done;
  }

  async list(namespaceKey?: string): Promise<ObjectRecord[]> {
    const db = await this.#db;
    return namespaceKey ? db.getAllFromIndex('objects', 'byNamespace', namespaceKey) : db.getAll('objects');
  }
}
