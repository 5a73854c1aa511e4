import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist, scheduled } from './alarm-fixtures.ts';

test('the reply to a call that set an alarm comes only once the alarm is durable: scheduled at once, and kept when its tab dies right after', async ({ context }) => {
  const host = await openApp(context);
  const other = await openApp(context);

  const at = await inAlarmist<number>(host, 'durable', 'async (storage) => { await storage.setAlarm(Date.now() + 3000); return storage.getAlarm(); }');
  // No polling: when the reply arrived, the coordinator's schedule already held the alarm…
  expect(await scheduled(other, 'durable')).toMatchObject({ scheduledTime: at, retryCount: 0 });
  // …and the object's database too: the tab that ran it dies at once, and the alarm still fires elsewhere.
  await host.close({ runBeforeUnload: false });
  await expect.poll(async () => (await alarmRuns(other, 'durable')).length, { timeout: 20_000 }).toBe(1);
  expect((await alarmRuns(other, 'durable'))[0]).toMatchObject({ scheduledTime: at });
});
