/**
 * The eviction lesson: its check passes only when the object was really
 * evicted between calls — storage kept counting, memory started over and the
 * constructor ran again — and not for calls that all reached one instance.
 */
import { expect, test } from '@playwright/test';
import { call, openPlayground } from './playground-page.ts';

test('the eviction check passes after an idle eviction, and not before it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=eviction');
  const check = page.locator('#lesson-check');
  const log = page.locator('#log div').first();

  await call(page, 'memo', 'bump');
  await expect(log).toContainText('"inMemory":1');
  await page.locator('#call').click();
  await expect(log).toContainText('"inMemory":2');
  await expect(check.locator('li').nth(0)).toHaveClass('done');
  await expect(check).toHaveAttribute('data-passed', 'false');

  // The lesson's config evicts after 4 s idle: wait for it, as the steps say.
  await expect(check.locator('li').nth(1)).toHaveClass('done', { timeout: 30_000 });
  await expect(check).toHaveAttribute('data-passed', 'false');
  await page.locator('#call').click();
  await expect(log).toContainText('"inMemory":1');
  await expect(check).toHaveAttribute('data-passed', 'true');
});
