import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { test, expect, openApp } from './fixtures.ts';
import { openAppWith } from './open-app-with.ts';
import { inAlarmist } from './alarm-fixtures.ts';

const APP_CONFIG = parse(readFileSync(new URL('../app/wrangler.jsonc', import.meta.url), 'utf8'));
const SET_THEN_DELETE_ALL = `async (storage) => {
  await storage.setAlarm(Date.now() + 3_600_000);
  await storage.put('k', 1);
  await storage.deleteAll();
  return { alarm: await storage.getAlarm(), keys: [...(await storage.list()).keys()] };
}`;

test('deleteAll() deletes the alarm from compatibility date 2026-02-24, and keeps it before that date or with delete_all_preserves_alarm', async ({ browser, context, baseURL }) => {
  // The test app's date (2026-11-01): the alarm goes with everything else.
  const current = await openApp(context);
  expect(await inAlarmist(current, 'wiped', SET_THEN_DELETE_ALL)).toEqual({ alarm: null, keys: [] });

  // Other origins' worth of storage: each config in a browser context of its own.
  for (const config of [
    { ...APP_CONFIG, compatibility_date: '2025-06-01' },
    { ...APP_CONFIG, compatibility_flags: ['delete_all_preserves_alarm'] },
  ]) {
    const own = await browser.newContext({ baseURL: baseURL! });
    try {
      const page = await openAppWith(own, { config });
      const result = await inAlarmist(page, 'wiped', SET_THEN_DELETE_ALL);
      expect(result.keys).toEqual([]);
      expect(result.alarm).toEqual(expect.any(Number));
      await inAlarmist(page, 'wiped', '(storage) => storage.deleteAlarm()');
    } finally {
      await own.close();
    }
  }
});
