/**
 * The alarm classes of the differential test (DO-API §7). `alarm()` logs each
 * run (its alarmInfo, when it started, what `getAlarm()` said inside, how many
 * runs this instance has seen in memory) and then follows the stored plan:
 * `fail: n` throws on the first n runs; `replaceOnRun` / `deleteOnRun` call
 * `setAlarm` / `deleteAlarm` in that run, before any throw.
 *
 * Plain JavaScript valid on Cloudflare, loaded unbundled by workerd.
 */
import { DurableObject } from 'cloudflare:workers';

export class Alarms extends DurableObject {
  memory = 0;

  async alarm(info) {
    this.memory++;
    const storage = this.ctx.storage;
    const runs = (await storage.get('runs')) ?? [];
    runs.push({
      keys: Object.keys(info ?? {}).sort(),
      retryCount: info?.retryCount,
      isRetry: info?.isRetry,
      scheduledTime: info?.scheduledTime,
      startedAt: Date.now(),
      getAlarm: await storage.getAlarm(),
      memory: this.memory,
    });
    await storage.put('runs', runs);
    const plan = (await storage.get('plan')) ?? {};
    const n = runs.length - 1;
    if (plan.replaceOnRun === n) await storage.setAlarm(Date.now() + plan.replaceIn);
    if (plan.deleteOnRun === n) await storage.deleteAlarm();
    if (n < (plan.fail ?? 0)) throw new Error(`alarm failed on run ${n}`);
  }

  /** Store the plan, clear the log, set the alarm `inMs` from now; returns getAlarm(). */
  async start(plan, inMs) {
    await this.ctx.storage.put({ plan, runs: [] });
    await this.ctx.storage.setAlarm(Date.now() + inMs);
    return this.ctx.storage.getAlarm();
  }

  async state() {
    return { runs: (await this.ctx.storage.get('runs')) ?? [], alarm: await this.ctx.storage.getAlarm() };
  }

  /** Values and errors of getAlarm/setAlarm/deleteAlarm that need no waiting. */
  async values() {
    const storage = this.ctx.storage;
    const attempt = async (fn) => {
      try {
        const value = await fn();
        return { ok: true, value: value === undefined ? 'undefined' : value };
      } catch (error) {
        return { ok: false, name: error?.constructor?.name, message: error?.message };
      }
    };
    const sql = this.ctx.storage.sql;
    const sqlite = (() => {
      try {
        sql.databaseSize;
        return true;
      } catch {
        return false;
      }
    })();
    const tables = () => (sqlite ? sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").toArray().map((r) => r.name) : 'kv');
    const size = () => (sqlite ? sql.databaseSize : 'kv');
    const far = Date.now() + 3_600_000;
    const out = {};
    out.fresh = { alarm: await storage.getAlarm(), tables: tables(), size: size() };
    out.deleteWhenNone = await attempt(() => storage.deleteAlarm());
    out.afterDeleteWhenNone = { alarm: await storage.getAlarm(), tables: tables(), size: size() };
    out.setNumber = await attempt(async () => {
      await storage.setAlarm(far);
      return (await storage.getAlarm()) === far;
    });
    out.afterSet = { tables: tables(), size: size() };
    out.setDate = await attempt(async () => {
      await storage.setAlarm(new Date(far + 1000));
      return (await storage.getAlarm()) - far;
    });
    out.setFraction = await attempt(async () => {
      await storage.setAlarm(far + 2000.7);
      return (await storage.getAlarm()) - far;
    });
    out.setPast = await attempt(async () => {
      const before = Date.now();
      await storage.setAlarm(before - 60_000);
      const got = await storage.getAlarm();
      await storage.setAlarm(far);
      return got >= before && got <= Date.now();
    });
    for (const [label, args] of Object.entries({
      zero: [0],
      negative: [-1],
      epochDate: [new Date(0)],
      string: ['12345'],
      nan: [Number.NaN],
      none: [],
      object: [{}],
      badOptions: [far, 5],
    })) {
      out[`refused:${label}`] = await attempt(() => storage.setAlarm(...args));
    }
    out.unchangedByRefusals = (await storage.getAlarm()) === far;
    out.getAlarmBadOptions = await attempt(() => storage.getAlarm(5));
    out.deleteAlarmBadOptions = await attempt(() => storage.deleteAlarm(5));
    out.options = await attempt(async () => {
      await storage.setAlarm(far + 5000, { allowConcurrency: true, allowUnconfirmed: true });
      return (await storage.getAlarm({ allowConcurrency: true })) - far;
    });
    out.transactionRolledBack = await attempt(async () => {
      await storage.transaction(async (txn) => {
        await txn.setAlarm(far + 9000);
        txn.rollback();
      });
      return (await storage.getAlarm()) - far;
    });
    out.transactionCommitted = await attempt(async () => {
      const inside = await storage.transaction(async (txn) => {
        await txn.setAlarm(far + 7000);
        const seen = (await txn.getAlarm()) - far;
        await txn.deleteAlarm();
        const deleted = await txn.getAlarm();
        await txn.setAlarm(far + 8000);
        return { seen, deleted };
      });
      return { inside, after: (await storage.getAlarm()) - far };
    });
    out.transactionThrows = await attempt(async () => {
      try {
        await storage.transaction(async (txn) => {
          await txn.deleteAlarm();
          throw new Error('undo');
        });
      } catch (error) {
        return { thrown: error.message, after: (await storage.getAlarm()) - far };
      }
    });
    out.deleteAll = await attempt(async () => {
      await storage.put('k', 1);
      await storage.deleteAll();
      return { alarm: await storage.getAlarm(), keys: [...(await storage.list()).keys()], tables: tables() };
    });
    out.deleted = await attempt(async () => {
      await storage.setAlarm(far);
      await storage.deleteAlarm();
      return { alarm: await storage.getAlarm(), tables: tables() };
    });
    return out;
  }
}

/** The same on a KV-backed class (`new_classes`). */
export class KvAlarms extends Alarms {}

/**
 * No `alarm()` handler. Only a constructor may set an alarm then (workerd's
 * rule): `prepare(ms)` stores a wish and resets the object; the next
 * instance's constructor sets the alarm.
 */
export class NoAlarmHandler extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    // Synchronously, inside the constructor itself (the synchronous KV API of a SQLite-backed class):
    // once the constructor has returned, an instance without a handler may no longer set one.
    const inMs = ctx.storage.kv.get('arm');
    if (inMs === undefined) return;
    ctx.storage.kv.delete('arm');
    this.setInConstructor = ctx.storage.setAlarm(Date.now() + inMs).then(
      () => 'set',
      (error) => `${error?.constructor?.name}: ${error?.message}`,
    );
  }

  async prepare(inMs) {
    await this.ctx.storage.put('arm', inMs);
    await this.ctx.storage.sync(); // durable before the reset, which drops what is not
    this.ctx.abort('reset to construct again');
  }

  async state() {
    return { setInConstructor: (await this.setInConstructor) ?? null, alarmIsSet: (await this.ctx.storage.getAlarm()) !== null };
  }
}
