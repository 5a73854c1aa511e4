/**
 * The input-gate lesson (the lost-update table, DO-API §15): its check ticks
 * a row only when the runtime really did it — 50 concurrent bumps awaiting
 * storage keep every update, awaiting a timer or a fetch lose some — and a
 * timer that cannot lose updates (inside blockConcurrencyWhile) does not tick.
 */
import { expect, test, type Page } from '@playwright/test';
import { call, deploy, fileText, openPlayground, screenshot, setFile } from './playground-page.ts';

const item = (page: Page, n: number) => page.locator('#lesson-check li').nth(n);

async function race(page: Page, wait: string): Promise<void> {
  await call(page, 'race', 'reset');
  await expect(page.locator('#log div').first()).toContainText('race.reset() → 0');
  await call(page, 'race', 'bump', JSON.stringify(wait), 50);
  // The batch has settled when count() is answered after it.
  await expect(page.locator('#log div').first()).toContainText(`race.bump("${wait}")`, { timeout: 30_000 });
  await call(page, 'race', 'count');
  await expect(page.locator('#log div').first()).toContainText('race.count() →', { timeout: 30_000 });
}

test('the input-gate check passes once storage kept every update and a timer and a fetch lost some', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=input-gate');
  await expect(page.locator('[data-lesson="input-gate"]')).toBeVisible();
  await expect(page.locator('#lesson-check')).toHaveAttribute('data-passed', 'false');

  await race(page, 'storage');
  await expect(page.locator('#log div').first()).toContainText('race.count() → 50');
  await expect(item(page, 0)).toHaveClass('done');
  await expect(page.locator('#lesson-check')).toHaveAttribute('data-passed', 'false');

  await race(page, 'timer');
  await expect(page.locator('#log div').first()).not.toContainText('race.count() → 50');
  await expect(item(page, 1)).toHaveClass('done');
  await expect(item(page, 3)).toHaveClass('done');
  await expect(page.locator('#lesson-check')).toHaveAttribute('data-passed', 'false');

  await race(page, 'fetch');
  await expect(item(page, 2)).toHaveClass('done');
  await expect(page.locator('#lesson-check')).toHaveAttribute('data-passed', 'true');
  await expect(page.locator('#lesson-verdict')).toContainText('You saw it happen');
  await page.locator('[data-watch-tab="timeline"]').click();
  await screenshot(page, 'playground-lesson-input-gate');
});

test('the check does not tick the timer row when the timer runs inside blockConcurrencyWhile, where no update is lost', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=input-gate');
  const racer = await fileText(page, 'racer.ts');
  const guarded = racer.replace(
    "    if (wait === 'timer') await new Promise((resolve) => setTimeout(resolve, 5)); // the gate opens",
    "    if (wait === 'timer') await this.ctx.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 5)));",
  );
  expect(guarded).not.toBe(racer);
  await setFile(page, 'racer.ts', guarded);
  await deploy(page);
  await race(page, 'timer');
  await expect(page.locator('#log div').first()).toContainText('race.count() → 50');
  await expect(item(page, 1)).toHaveClass('todo');
  await expect(page.locator('#lesson-check')).toHaveAttribute('data-passed', 'false');
});
