/**
 * `onNextSessionRestore(snapshot)` returns a bookmark of the destination's
 * state just before (as `onNextSessionRestoreBookmark` does): restoring that
 * bookmark brings the destination's own data back, although the snapshot
 * replaced its whole database rather than its rows (the history keeps the
 * replaced database as an image entry).
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';

test('the bookmark a snapshot restore returns brings back the destination as it was', async ({ context }) => {
  test.setTimeout(120_000);
  const page = await openApp(context);
  await inAlarmist(page, 'undo-dst', `async (storage) => {
    storage.sql.exec('CREATE TABLE own (x)');
    storage.sql.exec('INSERT INTO own VALUES (42)');
    await storage.put('who', 'destination');
  }`);
  await inAlarmist(page, 'undo-src', `async (storage) => { await storage.put('who', 'source'); }`);

  // The restore and the abort in two calls here, so the first can return the undo bookmark.
  const undo = await inAlarmist<string>(page, 'undo-src', `async (storage, ctx, self) => {
    const snapshot = await storage.snapshot();
    return self.env.ALARMIST.getByName('undo-dst').run('async (storage, ctx, self, snapshot) => storage.onNextSessionRestore(snapshot)', snapshot);
  }`);
  await inAlarmist(page, 'undo-dst', `async (storage, ctx) => { ctx.abort('copied'); }`).catch(() => {});
  expect(undo).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/);

  const read = `async (storage) => ({
    who: await storage.get('who'),
    tables: storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'").toArray().map((r) => r.name),
  })`;
  await expect.poll(() => inAlarmist(page, 'undo-dst', read), { timeout: 30_000 }).toEqual({ who: 'source', tables: [] });

  // A write after the restore, then the undo.
  await inAlarmist(page, 'undo-dst', `async (storage) => { await storage.put('after', 1); }`);
  await inAlarmist(page, 'undo-dst', `async (storage, ctx) => { await storage.onNextSessionRestoreBookmark(${JSON.stringify(undo)}); ctx.abort('undo'); }`).catch(() => {});
  await expect
    .poll(() => inAlarmist(page, 'undo-dst', `async (storage) => ({ kv: Object.fromEntries(await storage.list()), own: storage.sql.exec('SELECT x FROM own').toArray() })`), { timeout: 30_000 })
    .toEqual({ kv: { who: 'destination' }, own: [{ x: 42 }] });
});
