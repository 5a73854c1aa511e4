/**
 * The playground's example class sets an alarm: the page lists it while it is
 * scheduled, and the object's history shows that alarm() ran.
 */
import { expect, test } from '@playwright/test';
import { call, openPlayground } from './playground-page.ts';

test('the playground example schedules an alarm: it is listed until it has run, then its history shows it', async ({ page }) => {
  test.setTimeout(90_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page);
  await call(page, 'pg-alarm', 'remindIn', '1500');
  await expect(page.locator('#log')).toContainText('pg-alarm.remindIn(1500) →');
  await expect(page.locator('#alarms')).toContainText('pg-alarm');
  await expect(page.locator('#alarms')).not.toContainText('pg-alarm', { timeout: 15_000 });
  await call(page, 'pg-alarm', 'history');
  await expect(page.locator('#log')).toContainText('pg-alarm.history() → [{"what":"alarm"}]');
});
