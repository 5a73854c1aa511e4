/**
 * Point-in-time recovery (DO-API §5.6), for real: each commit's row changes
 * are kept, so `onNextSessionRestoreBookmark(b)` + `ctx.abort()` restarts the
 * object with the state it had at `b` (KV and SQL rows alike), and the
 * bookmark it returns undoes the restore.
 */
import { test, expect } from './fixtures.ts';

type Page = import('@playwright/test').Page;
const probe = async (page: Page, name: string, code: string, binding = 'PROBE') => {
  const result = await page.evaluate(({ name, code, binding }) => window.hearth.probe(name, code, binding), { name, code, binding });
  if (!result.ok) throw new Error(`probe failed: ${JSON.stringify(result.error)}`);
  return result.value;
};
/** Read the state both APIs hold. */
const READ = `async (storage) => ({
  kv: Object.fromEntries(await storage.list()),
  rows: storage.sql.exec('SELECT body FROM notes ORDER BY id').toArray().map((r) => r.body),
})`;
/** Ask for a restore, then abort (the abort fails this call, as it does on Cloudflare). */
const restoreTo = (page: Page, name: string, bookmark: string) =>
  page.evaluate(
    ({ name, bookmark }) =>
      window.hearth.settle(
        window.hearth.probe(
          name,
          `async (storage, ctx) => { await storage.onNextSessionRestoreBookmark(${JSON.stringify(bookmark)}); ctx.abort('restoring'); }`,
        ),
      ),
    { name, bookmark },
  );

test('a restore to a bookmark brings back the KV and SQL state of that moment, and its undo bookmark reverses it', async ({ app }) => {
  test.setTimeout(120_000);
  const name = 'pitr-basic';
  const first = await probe(app, name, `async (storage) => {
    storage.sql.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)');
    storage.sql.exec("INSERT INTO notes (body) VALUES ('one')");
    await storage.put({ a: 1, b: 'two' });
    return storage.getCurrentBookmark();
  }`);
  expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/);
  const second = await probe(app, name, `async (storage) => {
    storage.sql.exec("INSERT INTO notes (body) VALUES ('two')");
    storage.sql.exec("UPDATE notes SET body = 'ONE' WHERE body = 'one'");
    await storage.put('a', 100);
    await storage.delete('b');
    await storage.put('c', { nested: [1, 2] });
    return storage.getCurrentBookmark();
  }`);
  // Bookmarks order as strings in time order.
  expect(second > first).toBe(true);
  expect(await probe(app, name, READ)).toEqual({ kv: { a: 100, c: { nested: [1, 2] } }, rows: ['ONE', 'two'] });

  // The undo bookmark is the state just before the restore: read it the same way, before aborting.
  const undo = await probe(app, name, 'async (storage) => storage.getCurrentBookmark()');
  const aborted = await restoreTo(app, name, first);
  expect(aborted.ok).toBe(false);
  // The next call starts a new session, from the state at `first`.
  await expect.poll(() => probe(app, name, READ)).toEqual({ kv: { a: 1, b: 'two' }, rows: ['one'] });

  // Undo: back to the state before the restore.
  await restoreTo(app, name, undo);
  await expect.poll(() => probe(app, name, READ)).toEqual({ kv: { a: 100, c: { nested: [1, 2] } }, rows: ['ONE', 'two'] });
});

test('getBookmarkForTime finds the state at a time, and bad bookmarks and KV-backed objects are refused', async ({ app }) => {
  test.setTimeout(120_000);
  const name = 'pitr-time';
  await probe(app, name, `async (storage) => { await storage.put('v', 'early'); }`);
  const between = await app.evaluate(() => new Promise<number>((r) => setTimeout(() => r(Date.now()), 30)));
  await app.evaluate(() => new Promise((r) => setTimeout(r, 30)));
  await probe(app, name, `async (storage) => { await storage.put('v', 'late'); }`);
  const bookmark = await probe(app, name, `async (storage) => storage.getBookmarkForTime(${between})`);
  await restoreTo(app, name, bookmark);
  await expect.poll(() => probe(app, name, `async (storage) => storage.get('v')`)).toBe('early');

  const refused = await probe(app, name, `async (storage) => {
    const attempt = async (fn) => { try { await fn(); return 'no error'; } catch (e) { return e.message; } };
    return {
      garbage: await attempt(() => storage.onNextSessionRestoreBookmark('not a bookmark')),
      future: await attempt(() => storage.onNextSessionRestoreBookmark('ffffffff-ffffffff-ffffffff-' + '0'.repeat(32))),
      tooOld: await attempt(() => storage.getBookmarkForTime(Date.now() - 31 * 24 * 3600 * 1000)),
    };
  }`);
  const NOT_FOUND = 'The requested bookmark is outside the point-in-time recovery window or does not exist.';
  expect(refused).toEqual({ garbage: NOT_FOUND, future: NOT_FOUND, tooOld: NOT_FOUND });
  const kvBacked = await app.evaluate(() =>
    window.hearth.probe('pitr-kv', `async (storage) => { try { await storage.getCurrentBookmark(); return 'no error'; } catch (e) { return e.message; } }`, 'KV_PROBE'),
  );
  expect(kvBacked.value).toBe("This Durable Object's storage back-end does not implement point-in-time recovery.");
});

test('history is bounded in bytes: the oldest bookmarks go first', async ({ context }) => {
  test.setTimeout(120_000);
  const { openApp } = await import('./fixtures.ts');
  const page = await openApp(context, { pitrMaxBytes: 8192 });
  const name = 'pitr-bounded';
  const first = await probe(page, name, `async (storage) => { await storage.put('k', 'x'.repeat(1000)); return storage.getCurrentBookmark(); }`);
  // 30 more commits of ~1 KB each: far past the 8 KiB budget.
  const last = await probe(page, name, `async (storage) => {
    for (let i = 0; i < 30; i++) {
      await storage.put('k', String(i).repeat(1000));
      await new Promise((r) => setTimeout(r, 0));
    }
    return storage.getCurrentBookmark();
  }`);
  const outcome = await probe(page, name, `async (storage) => {
    const attempt = async (fn) => { try { await fn(); return 'accepted'; } catch (e) { return e.message; } };
    return { first: await attempt(() => storage.onNextSessionRestoreBookmark(${JSON.stringify(first)})),
             last: await attempt(() => storage.onNextSessionRestoreBookmark(${JSON.stringify(last)})) };
  }`);
  expect(outcome).toEqual({
    first: 'The requested bookmark is outside the point-in-time recovery window or does not exist.',
    last: 'accepted',
  });
});

test('the history outlives the tab that wrote it: after that tab closes, another restores a bookmark it took', async ({ context }) => {
  test.setTimeout(120_000);
  const { openApp } = await import('./fixtures.ts');
  const host = await openApp(context);
  const other = await openApp(context);
  const name = 'pitr-tab-closes';
  // The object lives in `host` (its first call came from there); its history is written in batches, off the
  // replies' path, so these commits reach the history only after their replies.
  const early = await probe(host, name, `async (storage) => { await storage.put('v', 'early'); return storage.getCurrentBookmark(); }`);
  await probe(host, name, `async (storage) => { for (let i = 0; i < 20; i++) { await storage.put('v', 'late ' + i); } }`);
  // Past the batch's few milliseconds; then the tab goes, and its worker with it, without closing anything.
  await host.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  await host.close();
  // A call that reaches the closed tab before the coordinator has heard fails as retryable: ask again.
  await expect.poll(() => probe(other, name, `async (storage) => storage.get('v')`).catch((error) => String(error))).toBe('late 19');
  await restoreTo(other, name, early);
  await expect.poll(() => probe(other, name, `async (storage) => storage.get('v')`)).toBe('early');
});
