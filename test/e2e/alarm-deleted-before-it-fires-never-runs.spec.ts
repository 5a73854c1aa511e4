import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist, scheduled } from './alarm-fixtures.ts';

test('deleteAlarm() cancels a scheduled alarm: getAlarm() is null, the schedule forgets it, and it never runs', async ({ context }) => {
  const app = await openApp(context);
  const at = await inAlarmist<number>(app, 'cancelled', 'async (storage) => { await storage.setAlarm(Date.now() + 3000); return storage.getAlarm(); }');
  expect(await scheduled(app, 'cancelled')).toMatchObject({ scheduledTime: at, retryCount: 0 });

  expect(await inAlarmist(app, 'cancelled', 'async (storage) => { await storage.deleteAlarm(); return storage.getAlarm(); }')).toBeNull();
  expect(await scheduled(app, 'cancelled')).toBeUndefined();

  // Well past the time it was set for, it has not run.
  await app.waitForTimeout(Math.max(0, at - Date.now()) + 1000);
  expect(await alarmRuns(app, 'cancelled')).toEqual([]);
});
