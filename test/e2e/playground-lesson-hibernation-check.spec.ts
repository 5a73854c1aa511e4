/**
 * The hibernation lesson: the check passes only when a message on a socket
 * that stayed open was answered by a new instance after the object left
 * memory — not for messages to one instance that never slept.
 */
import { expect, test } from '@playwright/test';
import { openPlayground } from './playground-page.ts';

test('the hibernation check passes when a message wakes a new instance on a socket that stayed open', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=hibernation');
  const check = page.locator('#lesson-check');
  const log = page.locator('#log');
  await page.locator('#name').fill('lobby');
  await page.locator('#ws-open').click();
  await expect(log).toContainText('lobby ws open');
  await page.locator('#ws-text').fill('first');
  await page.locator('#ws-send').click();
  await expect(log).toContainText('"echo":"first"');
  await page.locator('#ws-text').fill('second');
  await page.locator('#ws-send').click();
  await expect(log).toContainText('"echo":"second"');
  await expect(check.locator('li').nth(0)).toHaveClass('done');
  await expect(check.locator('li').nth(2)).toHaveClass('todo');

  // The lesson's config hibernates after 3 s idle; the socket stays open.
  await expect(check.locator('li').nth(1)).toHaveClass('done', { timeout: 30_000 });
  await expect(check).toHaveAttribute('data-passed', 'false');
  await page.locator('#ws-text').fill('third');
  await page.locator('#ws-send').click();
  await expect(log).toContainText('"echo":"third"');
  await expect(log).not.toContainText('ws closed');
  await expect(check).toHaveAttribute('data-passed', 'true');
});
