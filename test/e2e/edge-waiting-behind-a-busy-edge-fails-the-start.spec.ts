/**
 * A page whose edge is a new service worker waits for it to take control
 * (host/edge-link.ts `whenControlled`). A new edge activates only once the
 * one it replaces has no event in flight; one held busy for good (a Worker
 * that never answers) keeps the new one waiting. The page's `start()` then
 * fails with the reason, after its bound, instead of hanging.
 */
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';

const ORIGIN = `http://localhost:${EDGE_APP_PORT}`;

test('start() fails with the reason when its new edge waits behind an edge that stays busy', async ({ context }) => {
  test.setTimeout(90_000);
  const first = await context.newPage();
  await first.goto(`${ORIGIN}/index.html`);
  await expect(first.locator('body')).toHaveAttribute('data-ready', 'true');
  // The edge that controls it now handles a fetch that never ends.
  await first.evaluate(() => void fetch('/api/never'));

  // Other settings: another edge script, which must wait behind the busy one.
  const second = await context.newPage();
  await second.goto(`${ORIGIN}/index.html?hearth=${encodeURIComponent(JSON.stringify({ routes: ['/other/*'] }))}`);
  await expect(second.locator('body')).toHaveAttribute('data-ready', /true|error/, { timeout: 60_000 });
  expect(await second.locator('body').getAttribute('data-error')).toMatch(/was installed but has waited 30 s to take over/);
});
