/**
 * The object's alarm time, in its own database, where workerd keeps it:
 * `_cf_METADATA(key INTEGER PRIMARY KEY, value BLOB)`, row `key = 1`, the time
 * in nanoseconds since the epoch (a NULL value or no row means no alarm).
 *
 *  - The table is created by the first `setAlarm`, never by a read or by
 *    deleting an alarm that is not there, so an object that never used alarms
 *    has the same tables (and `databaseSize`) as in workerd.
 *  - Every change is a write of the turn's implicit transaction (or of the
 *    open explicit one): it commits, rolls back and holds the output gate with
 *    the KV and SQL writes beside it.
 *  - No cache: a rollback undoes a change behind our back; one point read per
 *    `getAlarm()` is cheap, and the truth stays in one place.
 *
 * Every statement is Hearth's own and runs trusted (`sql-connection.ts`).
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { hasTable } from './kv.ts';
import { internalSqlError, trusted } from './sql-connection.ts';
import type { SqliteDb } from './sqlite-types.ts';

const ALARM_KEY = 1;
const NS_PER_MS = 1_000_000n;

export class AlarmMetadata {
  readonly #db: SqliteDb;
  readonly #txn: ImplicitTransaction;

  constructor(db: SqliteDb, txn: ImplicitTransaction) {
    this.#db = db;
    this.#txn = txn;
  }

  #sql<T>(fn: () => T): T {
    try {
      return trusted(this.#db, fn);
    } catch (error) {
      throw internalSqlError(this.#db, error);
    }
  }

  /** The stored alarm in ms since the epoch, or null. */
  get(): number | null {
    return this.#sql(() => {
      if (!hasTable(this.#db, '_cf_METADATA')) return null;
      const value = this.#db.selectValue('SELECT value FROM _cf_METADATA WHERE key = ?', [ALARM_KEY]) as
        | number
        | bigint
        | null
        | undefined;
      if (value === null || value === undefined) return null;
      return Number(BigInt(value) / NS_PER_MS);
    });
  }

  /** Store `time` (ms) or clear the alarm (`null`), as a write of the current transaction. */
  set(time: number | null, confirmed = true): void {
    if (time === null && this.get() === null) return; // nothing to delete: no write, no table
    this.#txn.beginWrite(confirmed);
    this.#sql(() => {
      this.#db.exec('CREATE TABLE IF NOT EXISTS _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB)');
      this.#db.exec({
        sql: 'INSERT OR REPLACE INTO _cf_METADATA (key, value) VALUES (?, ?)',
        bind: [ALARM_KEY, time === null ? null : BigInt(time) * NS_PER_MS],
      });
    });
  }
}

/** Remove the alarm row from an in-memory copy of a database (a snapshot's image: the alarm is not copied, DO-API §5.7). */
export function removeAlarmRow(db: SqliteDb): void {
  if (hasTable(db, '_cf_METADATA')) db.exec({ sql: 'DELETE FROM _cf_METADATA WHERE key = ?', bind: [ALARM_KEY] });
}

/** Make `to`'s alarm row the one `from` has now (a restored image keeps the object's own alarm). */
export function copyAlarmRow(from: SqliteDb, to: SqliteDb): void {
  const own = trusted(from, () => (hasTable(from, '_cf_METADATA') ? from.selectValue('SELECT value FROM _cf_METADATA WHERE key = ?', [ALARM_KEY]) : undefined));
  removeAlarmRow(to);
  if (own !== undefined && own !== null) {
    to.exec('CREATE TABLE IF NOT EXISTS _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB)');
    to.exec({ sql: 'INSERT INTO _cf_METADATA (key, value) VALUES (?, ?)', bind: [ALARM_KEY, own as number | bigint] });
  }
}
