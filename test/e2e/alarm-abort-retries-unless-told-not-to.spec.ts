import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist, scheduled } from './alarm-fixtures.ts';

const abortOnFirstRun = (options: string) =>
  `async (storage) => { await storage.put('handler', '(n, info, storage, ctx) => n === 0 ? new Promise((r) => setTimeout(r, 20)).then(() => ctx.abort("bye"${options})) : undefined'); await storage.setAlarm(Date.now() + 200); }`;

test('ctx.abort() during an alarm resets the object and the alarm is retried; with { retryAlarm: false } it is not', async ({ context }) => {
  test.setTimeout(60_000);
  const app = await openApp(context);
  await inAlarmist(app, 'aborts', abortOnFirstRun(''));
  await inAlarmist(app, 'aborts-no-retry', abortOnFirstRun(', { retryAlarm: false }'));

  await expect.poll(async () => (await alarmRuns(app, 'aborts')).length, { timeout: 20_000 }).toBe(2);
  const runs = await alarmRuns(app, 'aborts');
  expect(runs.map((r) => [r.retryCount, r.isRetry])).toEqual([[0, false], [1, true]]);
  // The abort reset the object: the retry ran in a fresh instance.
  expect(runs.map((r) => r.memoryRuns)).toEqual([1, 1]);
  expect(runs[1]!.startedAt - runs[0]!.startedAt).toBeGreaterThanOrEqual(2000);

  // Not retried: one run, and the alarm is gone from the object and from the schedule.
  await expect.poll(async () => (await alarmRuns(app, 'aborts-no-retry')).length).toBe(1);
  await expect.poll(() => scheduled(app, 'aborts-no-retry')).toBeUndefined();
  expect(await inAlarmist(app, 'aborts-no-retry', '(storage) => storage.getAlarm()')).toBeNull();
  // A retry would come at most 2.5 s after that run (2 s backoff + 25 % jitter): wait until well past it,
  // counting from the run itself, not from now (the poll above already waited through most of it).
  const [run] = await alarmRuns(app, 'aborts-no-retry');
  await app.waitForTimeout(Math.max(0, run!.startedAt + 3000 - Date.now()));
  expect(await alarmRuns(app, 'aborts-no-retry')).toHaveLength(1);
});
