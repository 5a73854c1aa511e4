/**
 * The output-gate lesson: its check passes only after the timeline showed a
 * reply held at the output gate until its write was committed, and a reply
 * with allowUnconfirmed leaving without being held.
 */
import { expect, test } from '@playwright/test';
import { call, openPlayground } from './playground-page.ts';

test('the output-gate check passes after write() and writeUnconfirmed(), and not after read() alone', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=output-gate');
  const check = page.locator('#lesson-check');
  const log = page.locator('#log div').first();

  await call(page, 'books', 'read');
  await expect(log).toContainText('books.read() →');
  await expect(check).toHaveAttribute('data-passed', 'false');

  await call(page, 'books', 'write', '100');
  await expect(log).toContainText('books.write(100) → saved 100');
  await expect(check.locator('li').nth(0)).toHaveClass('done');
  await expect(check).toHaveAttribute('data-passed', 'false');

  await call(page, 'books', 'writeUnconfirmed', '5');
  await expect(log).toContainText('books.writeUnconfirmed(5) → sent before the commit: 5');
  await expect(check).toHaveAttribute('data-passed', 'true');

  // The timeline shows the held reply: the write's bar has an output-held part.
  await page.locator('[data-watch-tab="timeline"]').click();
  await expect(page.locator('[data-testid="timeline-bar"][data-label="rpc write"]').first()).toHaveAttribute('data-sequence', /output-held.*commit-finished.*output-released.*reply-sent/);
});
