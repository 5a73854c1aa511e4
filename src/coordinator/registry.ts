/**
 * The coordinator's durable records (IndexedDB through `idb`): every object
 * ever created, with when it was created and last placed, and the migration
 * tags applied to stored data, per script. The coordinator's memory is not
 * durable (a SharedWorker dies with its last tab), so anything it must
 * remember lives here.
 *
 * Schema versions (each upgrade keeps what the one before stored):
 *  1. `objects`
 *  2. `migrations`: one record per applied tag, keyed by [script, position]
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NormalizedClass } from '../config-record.ts';
import { objectKey, type ObjectAddress, type RegistryEntry } from '../protocol.ts';

/**
 * One object's record: what `inspect` reports of it (`RegistryEntry`, whose
 * fields protocol.ts documents) but for the live socket count, which is not
 * durable, and with the namespace it is listed and wiped by.
 */
export interface ObjectRecord extends Omit<RegistryEntry, 'sockets'> {
  namespaceKey: string;
}

export interface MigrationRecord {
  /** The Worker's name: Cloudflare records migration tags per script. */
  script: string;
  /** 0 for the first migration applied, and so on: the order is the record. */
  position: number;
  tag: string;
  applied: number;
}

interface RegistrySchema extends DBSchema {
  objects: { key: string; value: ObjectRecord; indexes: { byNamespace: string } };
  migrations: { key: [string, number]; value: MigrationRecord };
}

export class Registry {
  readonly #db: Promise<IDBPDatabase<RegistrySchema>>;

  constructor(name = 'hearth-coordinator') {
    this.#db = openDB<RegistrySchema>(name, 2, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          const objects = db.createObjectStore('objects', { keyPath: 'key' });
          objects.createIndex('byNamespace', 'namespaceKey');
        }
        if (oldVersion < 2) db.createObjectStore('migrations', { keyPath: ['script', 'position'] });
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
    // Placement runs the class the active config names for the namespace (it changes on a rename).
    record.className = address.className;
    if (address.name !== undefined) record.name = address.name;
    if (address.jurisdiction !== undefined) record.jurisdiction = address.jurisdiction;
    record.lastPlaced = now;
    record.placements++;
    await tx.store.put(record);
    await tx.done;
  }

  /** An object's database size, as reported; an object the registry does not know yet is left to its placement. */
  async recordSize(address: ObjectAddress, sizeBytes: number): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction('objects', 'readwrite');
    const record = await tx.store.get(objectKey(address));
    if (record && record.sizeBytes !== sizeBytes) await tx.store.put({ ...record, sizeBytes });
    await tx.done;
  }

  /** The devtools wiped a namespace: its objects are forgotten (a new call creates them afresh). */
  async forgetNamespace(namespaceKey: string): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction('objects', 'readwrite');
    for (const key of await tx.store.index('byNamespace').getAllKeys(namespaceKey)) await tx.store.delete(key);
    await tx.done;
  }

  async list(namespaceKey?: string): Promise<ObjectRecord[]> {
    const db = await this.#db;
    return namespaceKey ? db.getAllFromIndex('objects', 'byNamespace', namespaceKey) : db.getAll('objects');
  }

  /** The script's applied migration tags, in the order they were applied. */
  async appliedMigrations(script: string): Promise<string[]> {
    const db = await this.#db;
    const range = IDBKeyRange.bound([script, 0], [script, Infinity]);
    const records = await db.getAll('migrations', range);
    return records.sort((a, b) => a.position - b.position).map((r) => r.tag);
  }

  /**
   * After a migration's storage work is done: in one transaction, forget the
   * objects of the namespaces it deleted, give every object the class its
   * namespace has now (renames), and record the tag — so a tag is recorded
   * exactly when its records are.
   */
  async recordMigration(script: string, tag: string, deletedNamespaceKeys: string[], classes: NormalizedClass[]): Promise<void> {
    const db = await this.#db;
    const tx = db.transaction(['objects', 'migrations'], 'readwrite');
    const objects = tx.objectStore('objects');
    for (const namespaceKey of deletedNamespaceKeys) {
      for (const key of await objects.index('byNamespace').getAllKeys(namespaceKey)) await objects.delete(key);
    }
    for (const { namespaceKey, className } of classes) {
      for (const record of await objects.index('byNamespace').getAll(namespaceKey)) {
        if (record.className === className) continue;
        await objects.put({ ...record, className });
      }
    }
    const migrations = tx.objectStore('migrations');
    const position = await migrations.count(IDBKeyRange.bound([script, 0], [script, Infinity]));
    await migrations.put({ script, position, tag, applied: Date.now() });
    await tx.done;
  }
}
