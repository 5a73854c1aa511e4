/**
 * "Wipe" on one object does what `deleteAll()` and a reset would: its KV
 * entries, SQL tables and alarm are gone (from the coordinator's schedule
 * too), the instance is replaced (its memory is gone), and other objects
 * keep everything.
 */
import { test, expect, openApp } from './fixtures.ts';
import { inAlarmist, scheduled } from './alarm-fixtures.ts';
import { openDevtools } from './devtools-page.ts';

const FILL = `async (storage, ctx, self) => {
  await storage.put('k', 1);
  storage.sql.exec('CREATE TABLE t (x)');
  storage.sql.exec('INSERT INTO t VALUES (1)');
  await storage.setAlarm(Date.now() + 3_600_000);
  self.marker = 'in memory';
}`;
const CONTENTS = `async (storage, ctx, self) => ({
  kv: [...(await storage.list()).keys()],
  tables: storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'").toArray().map((r) => r.name),
  alarm: await storage.getAlarm(),
  marker: self.marker ?? null,
})`;

test('wipe deletes an object’s KV, tables and alarm and resets it; another object keeps its data', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  await inAlarmist(app, 'scrubbed', FILL);
  await inAlarmist(app, 'spared', FILL);
  expect((await inAlarmist(app, 'scrubbed', CONTENTS)).tables).toEqual(['t']);

  const devtools = await openDevtools(context);
  devtools.on('dialog', (dialog) => void dialog.accept());
  const row = devtools.locator('[data-testid=object-row][data-name=scrubbed]');
  await expect(row).toHaveAttribute('data-state', 'live');
  await row.getByTestId('wipe').click();
  await expect(devtools.getByTestId('action-message')).toHaveText('Wiped Alarmist scrubbed.');

  expect(await inAlarmist(app, 'scrubbed', CONTENTS)).toEqual({ kv: [], tables: [], alarm: null, marker: null });
  await expect.poll(() => scheduled(app, 'scrubbed')).toBeUndefined();
  const spared = await inAlarmist(app, 'spared', CONTENTS);
  expect(spared).toMatchObject({ kv: ['k'], tables: ['t'], marker: 'in memory' });
  expect(spared.alarm).toEqual(expect.any(Number));
  expect(await scheduled(app, 'spared')).toBeDefined();

  // The timeline shows the reset that ended the old instance.
  await row.click();
  await devtools.locator('nav button[data-tab=timeline]').click();
  await expect(devtools.locator('.end span', { hasText: 'its storage was wiped' })).toBeVisible();
});
