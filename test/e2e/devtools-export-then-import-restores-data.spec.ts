/**
 * Export then import: the devtools download an object's database as a
 * `.sqlite` file; after the object's data changes, importing that file
 * brings the old data back — KV and SQL alike — and the object restarts on
 * it. A file that is not an SQLite database is refused and changes nothing.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.ts';
import { openDevtools } from './devtools-page.ts';

test('a database exported and then imported brings the data back, and a bad file is refused', async ({ app, context }) => {
  test.setTimeout(120_000);
  await app.evaluate(() =>
    window.hearth.probe('vault', `async (storage) => {
      await storage.put('k', new Map([['v', 'before']]));
      storage.sql.exec('CREATE TABLE t (x TEXT)');
      storage.sql.exec("INSERT INTO t VALUES ('row-before')");
    }`),
  );
  const devtools = await openDevtools(context);
  devtools.on('dialog', (dialog) => void dialog.accept());
  await devtools.locator('[data-testid=object-row][data-name=vault]').getByRole('button', { name: 'Storage' }).click();
  await expect(devtools.locator('[data-testid=kv-row][data-key=k] [data-testid=kv-value]')).toHaveText('Map(1) { "v" => "before" }');
  const [download] = await Promise.all([devtools.waitForEvent('download'), devtools.getByTestId('export').click()]);
  expect(download.suggestedFilename()).toBe('Probe_vault.sqlite');
  const file = readFileSync(await download.path());
  expect(file.subarray(0, 15).toString()).toBe('SQLite format 3');

  await app.evaluate(() =>
    window.hearth.probe('vault', `async (storage) => {
      await storage.put('k', 'after');
      storage.sql.exec('DROP TABLE t');
    }`),
  );

  // Not a database: refused, nothing changes.
  await devtools.getByTestId('import').setInputFiles({ name: 'junk.sqlite', mimeType: 'application/octet-stream', buffer: Buffer.from('not a database at all'.repeat(10)) });
  await expect(devtools.locator('[data-panel=storage] .error')).toContainText('Not an SQLite database file');
  expect(await app.evaluate(() => window.hearth.probe('vault', `(storage) => storage.get('k')`))).toEqual({ ok: true, value: 'after' });

  await devtools.getByTestId('import').setInputFiles({ name: 'vault.sqlite', mimeType: 'application/vnd.sqlite3', buffer: file });
  await expect(devtools.getByTestId('storage-notice')).toContainText('Imported vault.sqlite');
  const back = await app.evaluate(() =>
    window.hearth.probe('vault', `async (storage) => {
      const k = await storage.get('k');
      return { map: k instanceof Map, v: k.get('v'), rows: storage.sql.exec('SELECT x FROM t').toArray() };
    }`),
  );
  expect(back).toEqual({ ok: true, value: { map: true, v: 'before', rows: [{ x: 'row-before' }] } });
});
