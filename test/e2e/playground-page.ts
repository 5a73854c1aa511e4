/** Helpers for the playground's tests: open it and wait until its first deploy has happened. */
import { expect, type Page } from '@playwright/test';

export async function openPlayground(page: Page, hash = '', url = '/playground/'): Promise<void> {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto(`${url}${hash}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
}

/** Replace a file's text in the editor, as an edit (what pasting it would do). */
export async function setFile(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(([n, t]) => (window as any).playground.setFile(n, t), [name, text] as const);
}

export async function fileText(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => (window as any).playground.editor.text(n), name);
}

/** Deploy with the keyboard shortcut and wait until the status names a new version. */
export async function deploy(page: Page): Promise<void> {
  const before = await page.locator('#status').textContent();
  await page.locator('.cm-content').click();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.locator('#status')).not.toHaveText(before ?? '', { timeout: 30_000 });
  await expect(page.locator('#status')).toContainText('deployed', { timeout: 30_000 });
}

/** Fill the call panel and press Call. */
export async function call(page: Page, name: string, method: string, args = '', times = 1): Promise<void> {
  await page.locator('#name').fill(name);
  await page.locator('#method').fill(method);
  await page.locator('#args').fill(args);
  await page.locator('#times').fill(String(times));
  await page.locator('#call').click();
}

/** With HEARTH_SCREENSHOTS=1, save the page as docs/<name>.png (for the README), at a desktop size. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.HEARTH_SCREENSHOTS) return;
  await page.setViewportSize({ width: 1500, height: 920 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(500);
  await page.screenshot({ path: `docs/${name}.png`, fullPage: false });
}
