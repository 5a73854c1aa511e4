/**
 * The Storage panel shows what an object stored: KV values decoded with their
 * types (a Map, a Date — not bytes), and SQL tables with their schema and rows.
 */
import { test, expect } from './fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('the storage panel shows a KV Map and Date decoded, and an SQL row with its schema', async ({ app, context }) => {
  test.setTimeout(90_000);
  const stored = await app.evaluate(() =>
    window.hearth.probe(
      'shelf',
      `async (storage) => {
        await storage.put('prefs', new Map([['theme', 'dark'], ['size', 3]]));
        await storage.put('since', new Date('2026-12-01T10:00:00.000Z'));
        storage.sql.exec('CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL)');
        storage.sql.exec('INSERT INTO books (title) VALUES (?)', 'Dune');
        return 'ok';
      }`,
    ),
  );
  expect(stored).toEqual({ ok: true, value: 'ok' });

  const devtools = await openDevtools(context);
  await devtools.locator('[data-testid=object-row][data-name=shelf]').getByRole('button', { name: 'Storage' }).click();
  await expect(devtools.locator('[data-testid=kv-row][data-key=prefs] [data-testid=kv-value]')).toHaveText(
    'Map(2) { "theme" => "dark", "size" => 3 }',
  );
  await expect(devtools.locator('[data-testid=kv-row][data-key=prefs] td').nth(1)).toHaveText('Map');
  await expect(devtools.locator('[data-testid=kv-row][data-key=since] [data-testid=kv-value]')).toHaveText(
    'Date(2026-12-01T10:00:00.000Z)',
  );
  const books = devtools.locator('[data-testid=sql-table][data-table=books]');
  await expect(books.locator('pre.schema')).toContainText('CREATE TABLE books (id INTEGER PRIMARY KEY, title TEXT NOT NULL)');
  await expect(books.locator('[data-testid=sql-row]')).toHaveCount(1);
  await expect(books.locator('[data-testid=sql-row] td')).toHaveText(['1', 'Dune']);

  // The console is read-only until switched to write: SQLite itself refuses the write.
  await devtools.getByTestId('sql-query').fill("INSERT INTO books (title) VALUES ('Emma')");
  await devtools.getByTestId('sql-run').click();
  await expect(devtools.getByTestId('sql-result')).toContainText('readonly');
  await devtools.getByTestId('sql-query').fill('SELECT title FROM books ORDER BY id');
  await devtools.getByTestId('sql-run').click();
  await expect(devtools.getByTestId('sql-result').locator('td')).toHaveText(['Dune']);
  await screenshot(devtools, 'storage');
});
