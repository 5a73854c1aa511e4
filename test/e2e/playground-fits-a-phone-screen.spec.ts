/**
 * On a phone-sized screen the playground is one column — the lesson first,
 * then the editor, the call panel and the watch panels — and nothing is wider
 * than the screen.
 */
import { expect, test } from '@playwright/test';
import { call, openPlayground } from './playground-page.ts';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

test('on a 390 px wide screen the playground is one column with no sideways scrolling, and calls work', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page, '#lesson=output-gate');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
  const lesson = await box('.area-lesson');
  const editor = await box('.area-editor');
  const caller = await box('.area-call');
  const watch = await box('.area-watch');
  // One column, in this order.
  expect(lesson.y).toBeLessThan(editor.y);
  expect(editor.y).toBeLessThan(caller.y);
  expect(caller.y).toBeLessThan(watch.y);
  for (const b of [lesson, editor, caller, watch]) expect(b.x + b.width).toBeLessThanOrEqual(390);

  await call(page, 'books', 'write', '7');
  await expect(page.locator('#log')).toContainText('books.write(7) → saved 7');
  await expect(page.locator('#lesson-check li').first()).toHaveClass('done');
  if (process.env.HEARTH_SCREENSHOTS) await page.screenshot({ path: 'docs/playground-phone.png', fullPage: false });
});
