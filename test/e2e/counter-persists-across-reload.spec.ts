import { test, expect } from './fixtures.ts';

test('a counter object counts, and its storage survives a page reload', async ({ app }) => {
  const counts = await app.evaluate(async () => {
    const out: string[] = [];
    for (let i = 0; i < 5; i++) out.push((await window.hearth.fetch('COUNTER', 'A', '/increment')).text);
    out.push((await window.hearth.fetch('COUNTER', 'A', '/decrement')).text);
    return out;
  });
  expect(counts).toEqual(['1', '2', '3', '4', '5', '4']);

  await app.reload();
  await expect(app.locator('body')).toHaveAttribute('data-ready', 'true');
  const after = await app.evaluate(() => window.hearth.fetch('COUNTER', 'A', '/'));
  expect(after.text).toBe('4');
  const other = await app.evaluate(() => window.hearth.fetch('COUNTER', 'B', '/'));
  expect(other.text).toBe('0');
});
