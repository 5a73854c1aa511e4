import { test, expect, openApp } from './fixtures.ts';
import { alarmRuns, inAlarmist } from './alarm-fixtures.ts';

test('a running alarm() lets other calls in while it awaits a timer, and they see getAlarm() as null', async ({ context }) => {
  const app = await openApp(context);
  // The handler marks that it started, then waits 5 s on a timer (which opens the input gate), then marks its end.
  await inAlarmist(
    app,
    'interleaved',
    `async (storage) => {
      await storage.put('handler', '(n, info, storage) => storage.put("started", Date.now()).then(() => new Promise((r) => setTimeout(r, 5000))).then(() => storage.put("ended", Date.now()))');
      await storage.setAlarm(Date.now() + 200);
    }`,
  );
  await expect.poll(() => inAlarmist(app, 'interleaved', '(storage) => storage.get("started")'), { timeout: 20_000 }).not.toBeNull();
  // (run() answers null for undefined.) A call while the handler awaits its timer runs at once: it does not wait for the alarm to finish.
  const during = await inAlarmist(app, 'interleaved', 'async (storage) => ({ at: Date.now(), started: await storage.get("started"), ended: await storage.get("ended"), alarm: await storage.getAlarm(), runs: await storage.get("runs") })');
  expect(during.started).toEqual(expect.any(Number));
  expect(during.ended).toBeUndefined();
  expect(during.alarm).toBeNull();
  await expect.poll(() => inAlarmist(app, 'interleaved', '(storage) => storage.get("ended")'), { timeout: 20_000 }).not.toBeNull();
  const ended = await inAlarmist<number>(app, 'interleaved', '(storage) => storage.get("ended")');
  expect(during.at).toBeLessThan(ended);
  // It ran once, and succeeded: nothing is left scheduled.
  expect(await alarmRuns(app, 'interleaved')).toHaveLength(1);
  expect(await inAlarmist(app, 'interleaved', '(storage) => storage.getAlarm()')).toBeNull();
});
