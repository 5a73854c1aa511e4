import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist, scheduled } from './alarm-fixtures.ts';

test('an alarm set inside a transaction that rolls back leaves no alarm: not stored, not scheduled, never run', async ({ context }) => {
  const app = await openApp(context);
  const result = await inAlarmist(
    app,
    'rolled-back',
    `async (storage) => {
      const out = {};
      try {
        await storage.transaction(async (txn) => {
          await txn.setAlarm(Date.now() + 500);
          out.inside = (await txn.getAlarm()) !== null;
          throw new Error('undo');
        });
      } catch (e) { out.thrown = e.message; }
      await storage.transaction(async (txn) => {
        await txn.setAlarm(Date.now() + 500);
        txn.rollback();
      });
      out.after = await storage.getAlarm();
      return out;
    }`,
  );
  expect(result).toEqual({ inside: true, thrown: 'undo', after: null });
  expect(await scheduled(app, 'rolled-back')).toBeUndefined();
  await app.waitForTimeout(1500);
  expect(await alarmRuns(app, 'rolled-back')).toEqual([]);

  // A committed one is kept, scheduled, and runs.
  const at = await inAlarmist<number>(app, 'rolled-back', `async (storage) => { await storage.transaction(async (txn) => { await txn.setAlarm(Date.now() + 2000); }); return storage.getAlarm(); }`);
  expect(await scheduled(app, 'rolled-back')).toMatchObject({ scheduledTime: at });
  await expect.poll(async () => (await alarmRuns(app, 'rolled-back')).length, { timeout: 20_000 }).toBe(1);
});
