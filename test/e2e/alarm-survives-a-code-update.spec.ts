import { test, expect } from './fixtures.ts';
import { openAppWith } from './open-app-with.ts';
import { alarmRuns, inAlarmist, scheduled } from './alarm-fixtures.ts';

const OLD = { id: 'alarm-build-old', builtAt: 1_000 };
const NEW = { id: 'alarm-build-new', builtAt: 2_000 };

test('a code update does not lose a scheduled alarm: it fires on the new version', async ({ context }) => {
  const oldTab = await openAppWith(context, { version: OLD });
  const at = await inAlarmist<number>(oldTab, 'across-update', 'async (storage) => { await storage.setAlarm(Date.now() + 6000); return storage.getAlarm(); }');

  // The new version arrives; the old tab reloads into it (as an app does after an update).
  const newTab = await openAppWith(context, { version: NEW });
  await oldTab.close();
  expect(await scheduled(newTab, 'across-update')).toMatchObject({ scheduledTime: at });

  await expect.poll(async () => (await alarmRuns(newTab, 'across-update')).length, { timeout: 20_000 }).toBe(1);
  const inspection = await newTab.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.live.find((e) => e.name === 'across-update')?.version).toBe(NEW.id);
  expect((await alarmRuns(newTab, 'across-update'))[0]).toMatchObject({ scheduledTime: at, retryCount: 0 });
});
