/**
 * The alarms lesson: the check passes only after the timeline showed the
 * alarm run, fail, and be retried twice with a longer wait the second time;
 * an alarm that succeeds at once does not pass it.
 */
import { expect, test } from '@playwright/test';
import { call, deploy, fileText, openPlayground, setFile } from './playground-page.ts';

test('the alarm check passes after a failing alarm was retried with backoff', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=alarm-retries');
  const check = page.locator('#lesson-check');
  await call(page, 'reminder', 'remindIn', '500');
  await expect(page.locator('#log div').first()).toContainText('reminder.remindIn(500) →');
  await expect(check.locator('li').nth(0)).toHaveClass('done', { timeout: 15_000 });
  await expect(check).toHaveAttribute('data-passed', 'false');
  await expect(check.locator('li').nth(1)).toHaveClass('done', { timeout: 20_000 });
  await expect(check).toHaveAttribute('data-passed', 'true', { timeout: 30_000 });
  await call(page, 'reminder', 'history');
  await expect(page.locator('#log div').first()).toContainText('"retryCount":2');
});

test('an alarm that never fails does not pass the alarm check', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=alarm-retries');
  const code = await fileText(page, 'reminder.ts');
  const neverFails = code.replace("    if (info.retryCount < 2) throw new Error('alarm failed on purpose, retryCount ' + info.retryCount);\n", '');
  expect(neverFails).not.toBe(code);
  await setFile(page, 'reminder.ts', neverFails);
  await deploy(page);
  await call(page, 'reminder', 'remindIn', '300');
  const check = page.locator('#lesson-check');
  await expect(check.locator('li').nth(0)).toHaveClass('done', { timeout: 15_000 });
  const ranBy = Date.now();
  // Longer than the first retry would have taken (2–2.5 s after the run): still no retry, so no pass.
  await call(page, 'reminder', 'history');
  await expect(page.locator('#log div').first()).toContainText('"retryCount":0');
  await page.waitForTimeout(Math.max(0, ranBy + 3500 - Date.now()));
  await expect(check.locator('li').nth(1)).toHaveClass('todo');
  await expect(check).toHaveAttribute('data-passed', 'false');
});
