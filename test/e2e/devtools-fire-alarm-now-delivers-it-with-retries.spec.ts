/**
 * "Fire alarm now" delivers an object's scheduled alarm at once, through the
 * coordinator's own alarm delivery: `alarm()` runs with the scheduled time it
 * was set for, a throwing handler is retried with backoff (`retryCount`
 * counting up, before the scheduled time too), and the alarm is gone from the
 * object and the schedule once a run succeeds. The timeline shows the runs.
 */
import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist, scheduled } from './alarm-fixtures.ts';
import { openDevtools, screenshot } from './devtools-page.ts';

test('fire alarm now runs the alarm set for an hour from now, retries a throwing run, then the alarm is gone', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  // The first run throws, the second succeeds.
  await inAlarmist(app, 'early-bird', `async (storage) => { await storage.put('handler', '(n) => { if (n === 0) throw new Error("first run fails"); }'); }`);
  const time = await inAlarmist<number>(app, 'early-bird', `async (storage) => { await storage.setAlarm(Date.now() + 3_600_000); return storage.getAlarm(); }`);

  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=early-bird]');
  // The Objects panel shows the scheduled alarm.
  await expect(row).toHaveAttribute('data-alarm', String(time));
  await row.click();
  await row.getByTestId('fire-alarm').click();
  await expect(devtools.getByTestId('action-message')).toHaveText('Fired the alarm of Alarmist early-bird.');

  await expect.poll(async () => (await alarmRuns(app, 'early-bird')).length, { timeout: 30_000 }).toBe(2);
  const runs = await alarmRuns(app, 'early-bird');
  expect(runs.map((r) => [r.retryCount, r.isRetry])).toEqual([[0, false], [1, true]]);
  // Run with the time it was set for, long before that time; the retry waited for the backoff.
  expect(runs.map((r) => r.scheduledTime)).toEqual([time, time]);
  expect(runs[1]!.startedAt).toBeLessThan(time);
  expect(runs[1]!.startedAt - runs[0]!.startedAt).toBeGreaterThanOrEqual(2000);

  // Done: gone in the object, the schedule and the panel.
  expect(await inAlarmist(app, 'early-bird', '(storage) => storage.getAlarm()')).toBeNull();
  await expect.poll(() => scheduled(app, 'early-bird')).toBeUndefined();
  await expect(row).toHaveAttribute('data-alarm', '');

  // The timeline shows both runs as events of the object.
  await devtools.locator('nav button[data-tab=timeline]').click();
  await expect(devtools.locator('[data-testid=timeline-bar][data-label="alarm"]')).toHaveCount(1);
  await expect(devtools.locator('[data-testid=timeline-bar][data-label="alarm retry 1"]')).toHaveCount(1);
  // Clicking the retry shows its storage calls in order.
  await devtools.locator('[data-testid=timeline-bar][data-label="alarm retry 1"]').click();
  await expect(devtools.getByTestId('timeline-details')).toContainText('storage-write put');
  await screenshot(devtools, 'alarm');
});

test('fire alarm now is not offered for an object without an alarm', async ({ context }) => {
  test.setTimeout(60_000);
  const app = await openApp(context, { idleTimeoutMs: 120_000 });
  await inAlarmist(app, 'no-alarm', '(storage) => storage.put("x", 1)');
  const devtools = await openDevtools(context);
  const row = devtools.locator('[data-testid=object-row][data-name=no-alarm]');
  await expect(row).toHaveAttribute('data-state', 'live');
  await expect(row.getByTestId('fire-alarm')).toBeDisabled();
});
