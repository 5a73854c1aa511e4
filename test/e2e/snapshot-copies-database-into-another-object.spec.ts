/**
 * `ctx.storage.snapshot()` → RPC → `ctx.storage.onNextSessionRestore(snapshot)`
 * + `ctx.abort()` (DO-API §5.7): the destination's next session starts with the
 * source's SQL tables and KV entries — across tabs, since the destination lives
 * in another tab's worker. The alarm is not copied: the destination keeps its
 * own. `abort` throws, so the caller sees the abort message. `kvData` entries
 * given to the restore are written over the copy.
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';

const HOUR = 3600_000;

test('a snapshot restored in an object on another tab brings SQL tables and KV entries, not the alarm', async ({ context }) => {
  test.setTimeout(120_000);
  const source = await openApp(context);
  const destination = await openApp(context);

  // The destination is placed on the second tab (the caller's own), with data and an alarm of its own.
  const ownAlarm = await inAlarmist<number>(destination, 'snap-dst', `async (storage) => {
    storage.sql.exec('CREATE TABLE mine (x)');
    await storage.put('only-in-destination', true);
    await storage.setAlarm(Date.now() + ${2 * HOUR});
    return storage.getAlarm();
  }`);
  await inAlarmist(source, 'snap-src', `async (storage) => {
    storage.sql.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    storage.sql.exec("INSERT INTO notes (body) VALUES ('one'), ('two')");
    await storage.put({ a: 1, when: new Date(0), map: new Map([['k', 'v']]) });
    await storage.setAlarm(Date.now() + ${HOUR});
  }`);
  const inspection = await source.evaluate(() => window.hearth.runtime.inspect());
  const hostOf = (name: string) => inspection.live.find((e) => e.name === name)?.hostId;
  expect(hostOf('snap-src')).toBe(await source.evaluate(() => window.hearth.runtime.hostId));
  expect(hostOf('snap-dst')).toBe(await destination.evaluate(() => window.hearth.runtime.hostId));

  // The source snapshots itself and hands the snapshot over RPC to the destination, which restores and aborts.
  const outcome = await inAlarmist(source, 'snap-src', `async (storage, ctx, self) => {
    const snapshot = await storage.snapshot();
    const described = Object.prototype.toString.call(snapshot) + ' ' + JSON.stringify(Object.keys(snapshot));
    try {
      await self.env.ALARMIST.getByName('snap-dst').run(
        'async (storage, ctx, self, snapshot) => { await storage.onNextSessionRestore(snapshot, { kvData: { restoredFrom: "snap-src" } }); ctx.abort("restored from snap-src"); }',
        snapshot,
      );
      return { described, error: null };
    } catch (e) {
      return { described, error: e.message };
    }
  }`);
  expect(outcome).toEqual({ described: '[object DurableObjectSnapshot] []', error: 'restored from snap-src' });

  // The next call starts a session on the copy: the source's tables and entries, none of the destination's, its own alarm.
  const read = `async (storage) => ({
    tables: storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' ORDER BY name").toArray().map((r) => r.name),
    notes: storage.sql.exec('SELECT body FROM notes ORDER BY id').toArray().map((r) => r.body),
    kv: [...(await storage.list()).entries()].map(([k, v]) => [k, v instanceof Date ? 'Date ' + v.getTime() : v instanceof Map ? 'Map ' + JSON.stringify([...v]) : v]),
    alarm: await storage.getAlarm(),
  })`;
  await expect
    .poll(() => inAlarmist(destination, 'snap-dst', read), { timeout: 30_000 })
    .toEqual({
      tables: ['notes'],
      notes: ['one', 'two'],
      // `kvData` entries are written over the copy.
      kv: [['a', 1], ['map', 'Map [["k","v"]]'], ['restoredFrom', 'snap-src'], ['when', 'Date 0']],
      alarm: ownAlarm,
    });
  // The source is untouched.
  expect((await inAlarmist(source, 'snap-src', read)).notes).toEqual(['one', 'two']);
});
