/**
 * The edge test app (test/edge-app, its own Vite project set up as a user
 * would: `hearth()` in vite.config.ts, `start()` with no options) and what the
 * specs that drive it share.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';
import { expectCoordinatorMode } from './fixtures.ts';

export const EDGE_ORIGIN = `http://localhost:${EDGE_APP_PORT}`;

/** Open the edge app in `page` and wait until its runtime has started. */
export async function openEdgeApp(page: Page): Promise<void> {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto(`${EDGE_ORIGIN}/index.html`);
  await expect(page.locator('body')).toHaveAttribute('data-ready', /true|error/);
  expect(await page.locator('#status').textContent()).toBe('ready');
  // In the leader-tab project the page really runs without a SharedWorker coordinator.
  await expectCoordinatorMode(page, () => page.evaluate(() => (window as any).runtime.coordinator));
}

/**
 * Stop every service worker of the browser, as Chromium does on its own after
 * ~30 s idle (DevTools' `ServiceWorker.stopAllWorkers`), and wait until one
 * has really stopped.
 */
export async function stopServiceWorkers(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      if (versions.some((v: { runningStatus: string }) => v.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
}
