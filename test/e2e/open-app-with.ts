import { expect, type BrowserContext, type Page } from '@playwright/test';
import { APP } from './fixtures.ts';

/**
 * Open the test app with a whole Wrangler config and/or an app version of the
 * test's choosing (`?config=`, `?version=`), as a tab running another
 * deployment would. Resolves with the page once Hearth started; throws with
 * the start error otherwise.
 */
export async function openAppWith(
  context: BrowserContext,
  options: { config?: unknown; version?: { id: string; builtAt: number }; env?: string },
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  const state = await gotoApp(page, options);
  if (state !== 'true') throw new Error(`Hearth failed to start: ${state}`);
  return page;
}

/** Load (or reload) `page` with these settings; returns what `start()` said ("true" or the error). */
export async function gotoApp(
  page: Page,
  options: { config?: unknown; version?: { id: string; builtAt: number }; env?: string },
): Promise<string> {
  const params = new URLSearchParams();
  if (options.env) params.set('env', options.env);
  if (options.config) params.set('config', JSON.stringify(options.config));
  if (options.version) params.set('version', JSON.stringify(options.version));
  await page.goto(`${APP}?${params}`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', /true|error/);
  const state = await page.locator('body').getAttribute('data-ready');
  return state === 'true' ? 'true' : `${await page.locator('body').getAttribute('data-error')}`;
}
