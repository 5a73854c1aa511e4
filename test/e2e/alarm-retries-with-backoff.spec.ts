import { test, expect, openApp } from './fixtures.ts';

test('an alarm that throws is retried with alarmInfo counting up and a backoff of at least 2 s, then 4 s', async ({ context }) => {
  test.setTimeout(90_000);
  const app = await openApp(context);
  const scheduled = await app.evaluate(async () => {
    const stub = window.hearth.stub('ALARMIST', 'retries') as any;
    // Fail the first two runs, succeed on the third; the object keeps its memory between runs.
    await stub.run(`async (storage) => { await storage.put('handler', '(n) => { if (n < 2) throw new Error("boom " + n); }'); }`);
    return stub.run(`async (storage) => { await storage.setAlarm(Date.now() + 300); return storage.getAlarm(); }`);
  });
  expect(typeof scheduled).toBe('number');

  await expect
    .poll(async () => (await app.evaluate(async () => await (window.hearth.stub('ALARMIST', 'retries') as any).runs())).length, { timeout: 45_000 })
    .toBe(3);
  const runs = await app.evaluate(async () => await (window.hearth.stub('ALARMIST', 'retries') as any).runs());
  expect(runs.map((r: any) => [r.retryCount, r.isRetry])).toEqual([[0, false], [1, true], [2, true]]);
  // scheduledTime is the time given to setAlarm on every run, retries included.
  expect(runs.map((r: any) => r.scheduledTime)).toEqual([scheduled, scheduled, scheduled]);
  // getAlarm() is null inside every run.
  expect(runs.map((r: any) => r.getAlarm)).toEqual([null, null, null]);
  // A throwing alarm does not reset the object: its memory carries over.
  expect(runs.map((r: any) => r.memoryRuns)).toEqual([1, 2, 3]);
  expect(runs[0].startedAt).toBeGreaterThanOrEqual(scheduled);
  expect(runs[1].startedAt - runs[0].startedAt).toBeGreaterThanOrEqual(2000);
  expect(runs[2].startedAt - runs[1].startedAt).toBeGreaterThanOrEqual(4000);

  // After the successful run the alarm is gone, here and in the schedule.
  expect(await app.evaluate(async () => await (window.hearth.stub('ALARMIST', 'retries') as any).run('(storage) => storage.getAlarm()'))).toBeNull();
  await expect
    .poll(async () => (await app.evaluate(() => window.hearth.runtime.inspect())).alarms.some((a) => a.name === 'retries'))
    .toBe(false);
});
