/**
 * "Evict now" in the devtools stops the instance as idle eviction would: the
 * next call constructs the class again (a new instance, the constructor's
 * effect recorded twice), and storage is kept.
 */
import { test, expect, openApp } from './fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('evict now makes the next call run the constructor again, with storage kept', async ({ context }) => {
  test.setTimeout(90_000);
  // Only the devtools evict here: no idle eviction, however slow the machine.
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  const first = await app.evaluate(async () => {
    await window.hearth.json('LEDGER', 'evictee', '/increment');
    return window.hearth.json('LEDGER', 'evictee', '/');
  });
  expect(first.constructions).toHaveLength(1);

  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=evictee]');
  await expect(row).toHaveAttribute('data-state', 'live');
  await row.getByTestId('evict').click();
  await expect(devtools.getByTestId('action-message')).toHaveText('Evicted Ledger evictee.');
  await expect(row).toHaveAttribute('data-state', 'idle');
  await screenshot(devtools, 'actions');

  const second = await app.evaluate(() => window.hearth.json('LEDGER', 'evictee', '/'));
  expect(second.instance).not.toBe(first.instance);
  expect(second.constructions).toHaveLength(2);
  expect(second.n).toBe(1);
});
