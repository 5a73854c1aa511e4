/**
 * Committed SQL writes are durable: they survive a reload of the page that
 * hosts the object, and rolled-back ones stay gone.
 */
import { test, expect } from './fixtures.ts';

const probe = (page: import('@playwright/test').Page, code: string) =>
  page.evaluate((c) => window.hearth.probe('sql-persistence', c), code);

test('tables and rows written by SQL survive a reload; rolled-back ones do not', async ({ app }) => {
  const written = await probe(
    app,
    `async (storage) => {
      const sql = storage.sql;
      sql.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, data BLOB)');
      sql.exec('INSERT INTO notes (body, data) VALUES (?, ?)', 'kept', new Uint8Array([1, 2]));
      storage.transactionSync(() => sql.exec("INSERT INTO notes (body) VALUES ('kept too')"));
      try { storage.transactionSync(() => { sql.exec("INSERT INTO notes (body) VALUES ('rolled back')"); throw new Error('no'); }); } catch {}
      try { await storage.transaction(async () => { sql.exec("INSERT INTO notes (body) VALUES ('also rolled back')"); throw new Error('no'); }); } catch {}
      await storage.transaction(async () => { sql.exec("INSERT INTO notes (body) VALUES ('committed')"); });
      return sql.exec('SELECT count(*) AS n FROM notes').one().n;
    }`,
  );
  expect(written).toEqual({ ok: true, value: 3 });

  await app.reload();
  await expect(app.locator('body')).toHaveAttribute('data-ready', 'true');

  const read = await probe(
    app,
    `async (storage) => storage.sql.exec('SELECT id, body, hex(data) AS data FROM notes ORDER BY id').toArray()`,
  );
  expect(read).toEqual({
    ok: true,
    value: [
      { id: 1, body: 'kept', data: '0102' },
      { id: 2, body: 'kept too', data: '' },
      { id: 3, body: 'committed', data: '' },
    ],
  });
});
