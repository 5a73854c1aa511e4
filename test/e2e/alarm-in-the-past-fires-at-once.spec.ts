import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist } from './alarm-fixtures.ts';

test('setAlarm() with a time in the past stores now and runs at once; a time <= 0 is refused with Cloudflare\'s TypeError', async ({ context }) => {
  const app = await openApp(context);
  const { before, stored, after } = await inAlarmist(
    app,
    'past',
    'async (storage) => { const before = Date.now(); await storage.setAlarm(new Date(before - 60000)); return { before, stored: await storage.getAlarm(), after: Date.now() }; }',
  );
  expect(stored).toBeGreaterThanOrEqual(before);
  expect(stored).toBeLessThanOrEqual(after);

  await expect.poll(async () => (await alarmRuns(app, 'past')).length).toBe(1);
  const [run] = await alarmRuns(app, 'past');
  expect(run).toMatchObject({ retryCount: 0, isRetry: false, scheduledTime: stored, getAlarm: null });

  const refused = await inAlarmist(
    app,
    'past',
    `async (storage) => { const out = []; for (const t of [0, -5, new Date(0)]) { try { await storage.setAlarm(t); out.push('set'); } catch (e) { out.push(e.constructor.name + ': ' + e.message); } } return out; }`,
  );
  expect(refused).toEqual(Array(3).fill('TypeError: setAlarm() cannot be called with an alarm time <= 0'));
});
