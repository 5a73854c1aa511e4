import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist } from './alarm-fixtures.ts';

test('an alarm set in a tab that then closes fires in another open tab, with nobody calling the object', async ({ context }) => {
  const first = await openApp(context);
  const second = await openApp(context);
  const firstHost = await first.evaluate(() => window.hearth.runtime.hostId);
  const secondHost = await second.evaluate(() => window.hearth.runtime.hostId);

  const at = await inAlarmist<number>(first, 'orphan', 'async (storage) => { await storage.setAlarm(Date.now() + 4000); return storage.getAlarm(); }');
  const placed = await second.evaluate(() => window.hearth.runtime.inspect());
  expect(placed.live.find((e) => e.name === 'orphan')?.hostId).toBe(firstHost);

  await first.close();

  // Nobody calls the object: the coordinator places it on the remaining tab when the alarm is due.
  await expect
    .poll(async () => (await second.evaluate(() => window.hearth.runtime.inspect())).live.find((e) => e.name === 'orphan')?.hostId, { timeout: 20_000 })
    .toBe(secondHost);
  await expect.poll(async () => (await alarmRuns(second, 'orphan')).length).toBe(1);
  const [run] = await alarmRuns(second, 'orphan');
  expect(run).toMatchObject({ retryCount: 0, scheduledTime: at });
  expect(run!.startedAt).toBeGreaterThanOrEqual(at);
});
