/**
 * Editing a KV entry in the devtools writes it through the object's own gates
 * (storage.put inside a devtools event): the object reads the new value —
 * with its type — on its next call, and a deleted entry is gone for it.
 */
import { test, expect } from './fixtures.ts';
import { openDevtools } from './devtools-page.ts';

test('a value edited in the devtools is what the object reads next, and a deleted one is gone', async ({ app, context }) => {
  test.setTimeout(90_000);
  await app.evaluate(() => window.hearth.probe('notes', `async (storage) => { await storage.put('count', 1); await storage.put('old', 'x'); }`));

  const devtools = await openDevtools(context);
  await devtools.locator('[data-testid=object-row][data-name=notes]').getByRole('button', { name: 'Storage' }).click();
  const count = devtools.locator('[data-testid=kv-row][data-key=count]');
  await expect(count.getByTestId('kv-value')).toHaveText('1');
  await count.getByTestId('kv-edit').click();
  await devtools.getByTestId('kv-edit-value').fill('new Map([["edited", new Date(0)]])');
  await devtools.getByTestId('kv-save').click();
  await expect(count.getByTestId('kv-value')).toHaveText('Map(1) { "edited" => Date(1970-01-01T00:00:00.000Z) }');
  await devtools.locator('[data-testid=kv-row][data-key=old]').getByTestId('kv-delete').click();
  await expect(devtools.locator('[data-testid=kv-row][data-key=old]')).toHaveCount(0);

  const seen = await app.evaluate(() =>
    window.hearth.probe(
      'notes',
      `async (storage) => {
        const v = await storage.get('count');
        return { isMap: v instanceof Map, date: v.get('edited') instanceof Date, time: v.get('edited').getTime(), old: await storage.get('old') ?? null };
      }`,
    ),
  );
  expect(seen).toEqual({ ok: true, value: { isMap: true, date: true, time: 0, old: null } });
});
