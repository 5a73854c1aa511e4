import { test, expect } from './fixtures.ts';
import { alarmRuns, inAlarmist } from './alarm-fixtures.ts';
import { relaunchingBrowser } from './relaunching-browser.ts';

test('an alarm that came due while the browser was closed fires once soon after the next start()', async ({ baseURL, launchOptions }) => {
  test.setTimeout(90_000);
  const browser = relaunchingBrowser(launchOptions, baseURL!);
  try {
    const at = await browser.session((page) =>
      inAlarmist<number>(page, 'sleeper', 'async (storage) => { await storage.setAlarm(Date.now() + 5000); return storage.getAlarm(); }'),
    );
    const closedAt = Date.now();
    expect(closedAt).toBeLessThan(at); // closed before it was due
    // The browser stays closed until well after the alarm was due.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()) + 1500));

    const runs = await browser.session(async (page) => {
      await expect.poll(async () => (await alarmRuns(page, 'sleeper')).length, { timeout: 20_000 }).toBe(1);
      // Once: a little later it still ran only once, and nothing is left scheduled.
      await page.waitForTimeout(1500);
      const inspection = await page.evaluate(() => window.hearth.runtime.inspect());
      expect(inspection.alarms.some((a) => a.name === 'sleeper')).toBe(false);
      return alarmRuns(page, 'sleeper');
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ retryCount: 0, isRetry: false, scheduledTime: at, getAlarm: null });
  } finally {
    browser.remove();
  }
});
