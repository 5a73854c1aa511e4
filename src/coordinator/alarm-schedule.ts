/**
 * The coordinator's alarm schedule in IndexedDB (through `idb`): one record
 * per object with an alarm, saying when to knock next. The coordinator's
 * memory dies with its last tab, and a browser restart ends it too; this
 * database is what the next coordinator rebuilds its clock from, so an alarm
 * that came due while no tab was open fires soon after the next `start()`.
 *
 * It is a schedule, not the truth: the object's own database holds its alarm
 * (storage/alarm-metadata.ts), and a delivery that no longer matches it runs
 * nothing. Its own database (`hearth-alarms`), so its schema moves on its own.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ObjectAddress } from '../protocol.ts';

export interface AlarmRecord {
  /** `objectKey(address)`. */
  key: string;
  address: ObjectAddress;
  /** The time the object set: `alarmInfo.scheduledTime`. */
  scheduledTime: number;
  /** Failed runs so far that count against the limit. */
  retryCount: number;
  /** When to deliver next: the scheduled time, or later after a failure. */
  runAt: number;
  /** `ctx.abort(…, { retryAlarm: false })` cut a run short: deliver only to delete it. */
  drop?: boolean;
  /** The devtools fired it before its time: its deliveries (retries too) run it although it is not due. */
  early?: true;
}

interface ScheduleSchema extends DBSchema {
  alarms: { key: string; value: AlarmRecord };
}

/** Where the schedule is kept; the scheduler takes any implementation (unit tests keep it in memory). */
export interface AlarmStore {
  all(): Promise<AlarmRecord[]>;
  put(record: AlarmRecord): Promise<void>;
  delete(key: string): Promise<void>;
}

export class AlarmSchedule implements AlarmStore {
  readonly #db: Promise<IDBPDatabase<ScheduleSchema>>;

  constructor(name = 'hearth-alarms') {
    this.#db = openDB<ScheduleSchema>(name, 1, {
      upgrade(db) {
        db.createObjectStore('alarms', { keyPath: 'key' });
      },
    });
  }

  async all(): Promise<AlarmRecord[]> {
    return (await this.#db).getAll('alarms');
  }

  async put(record: AlarmRecord): Promise<void> {
    await (await this.#db).put('alarms', record);
  }

  async delete(key: string): Promise<void> {
    await (await this.#db).delete('alarms', key);
  }
}

/** The schedule in memory, for unit tests of the scheduler. */
export class MemoryAlarmStore implements AlarmStore {
  readonly records = new Map<string, AlarmRecord>();
  async all(): Promise<AlarmRecord[]> {
    return [...this.records.values()].map((r) => ({ ...r }));
  }
  async put(record: AlarmRecord): Promise<void> {
    this.records.set(record.key, { ...record });
  }
  async delete(key: string): Promise<void> {
    this.records.delete(key);
  }
}
