/** Opening the devtools page (`/__hearth/`, served by the Vite plugin) in a test, and screenshots of its panels. */
import { expect, type BrowserContext, type Page } from '@playwright/test';

export const DEVTOOLS = '/__hearth/';

export async function openDevtools(context: BrowserContext, hash = ''): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[devtools pageerror] ${error.message}`));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(DEVTOOLS + hash);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  return page;
}

/** With HEARTH_SCREENSHOTS=1, save the page as docs/devtools-<name>.png (for the README). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.HEARTH_SCREENSHOTS) return;
  await page.screenshot({ path: `docs/devtools-${name}.png`, fullPage: false });
}
