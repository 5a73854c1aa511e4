/**
 * The playground's example class sets an alarm: the page lists it while it is
 * scheduled, and the object's history shows that alarm() ran.
 */
import { expect, test } from '@playwright/test';

test('the playground example schedules an alarm: it is listed until it has run, then its history shows it', async ({ page }) => {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.addInitScript(() => localStorage.clear());
  await page.goto('/playground/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await page.locator('#name').fill('pg-alarm');
  await page.locator('#method').fill('remindIn');
  await page.locator('#args').fill('1500');
  await page.locator('#call').click();
  await expect(page.locator('#log')).toContainText('pg-alarm.remindIn(1500) →');
  await expect(page.locator('#alarms')).toContainText('pg-alarm');
  await expect(page.locator('#alarms')).not.toContainText('pg-alarm', { timeout: 15_000 });
  await page.locator('#method').fill('history');
  await page.locator('#args').fill('');
  await page.locator('#call').click();
  await expect(page.locator('#log')).toContainText('pg-alarm.history() → [{"what":"alarm"}]');
});
