/**
 * `ctx.storage.snapshot({ bookmark })` (DO-API §5.7, the option as
 * @cloudflare/workers-types declares it): the snapshot holds the source's
 * state at that bookmark, wound back with its point-in-time history, while the
 * source itself stays as it is now.
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist } from './alarm-fixtures.ts';

test('a snapshot at a bookmark copies the state of that moment, not the state now', async ({ context }) => {
  test.setTimeout(120_000);
  const page = await openApp(context);
  const bookmark = await inAlarmist<string>(page, 'bm-src', `async (storage) => {
    storage.sql.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)');
    storage.sql.exec("INSERT INTO items (name) VALUES ('first')");
    await storage.put('v', 1);
    return storage.getCurrentBookmark();
  }`);
  await inAlarmist(page, 'bm-src', `async (storage) => {
    storage.sql.exec("INSERT INTO items (name) VALUES ('second')");
    storage.sql.exec("UPDATE items SET name = 'FIRST' WHERE name = 'first'");
    await storage.put('v', 2);
    await storage.put('later', true);
  }`);

  const aborted = await inAlarmist(page, 'bm-src', `async (storage, ctx, self) => {
    const snapshot = await storage.snapshot({ bookmark: ${JSON.stringify(bookmark)} });
    try {
      await self.env.ALARMIST.getByName('bm-dst').run(
        'async (storage, ctx, self, snapshot) => { await storage.onNextSessionRestore(snapshot); ctx.abort("copied"); }',
        snapshot,
      );
    } catch (e) {
      return e.message;
    }
  }`);
  expect(aborted).toBe('copied');

  const read = `async (storage) => ({
    items: storage.sql.exec('SELECT name FROM items ORDER BY id').toArray().map((r) => r.name),
    kv: Object.fromEntries(await storage.list()),
  })`;
  await expect.poll(() => inAlarmist(page, 'bm-dst', read), { timeout: 30_000 }).toEqual({ items: ['first'], kv: { v: 1 } });
  expect(await inAlarmist(page, 'bm-src', read)).toEqual({ items: ['FIRST', 'second'], kv: { v: 2, later: true } });

  // A bookmark this object never had is refused with PITR's text.
  const refused = await inAlarmist(page, 'bm-src', `async (storage) => {
    try { await storage.snapshot({ bookmark: 'ffffffff-ffffffff-ffffffff-' + '0'.repeat(32) }); return 'no error'; } catch (e) { return e.message; }
  }`);
  expect(refused).toBe('The requested bookmark is outside the point-in-time recovery window or does not exist.');
});
