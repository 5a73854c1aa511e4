/**
 * The playground: code typed into the page runs inside object workers; a
 * deploy keeps storage and resets the objects running the old code.
 */
import { expect, test } from '@playwright/test';
import { call, deploy, fileText, openPlayground, screenshot, setFile } from './playground-page.ts';

test('the playground deploys edited code: storage stays, the object runs the new code', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page);
  const log = page.locator('#log');
  await call(page, 'pg-room', 'increment', '2');
  await expect(log).toContainText('pg-room.increment(2) → 2');

  // Edit the class: increment now counts tenfold. Deploy (Ctrl/Cmd+Enter), call again.
  const room = await fileText(page, 'room.ts');
  const tenfold = room.replace("const count = (this.ctx.storage.kv.get<number>('count') ?? 0) + by;", "const count = (this.ctx.storage.kv.get<number>('count') ?? 0) + by * 10;");
  expect(tenfold).not.toBe(room);
  await setFile(page, 'room.ts', tenfold);
  await deploy(page);
  await page.locator('#call').click();
  await expect(log).toContainText('pg-room.increment(2) → 22');
  await page.locator('[data-watch-tab="objects"]').click();
  await screenshot(page, 'playground');

  // A deploy while a call is running: that call fails with Cloudflare's code-update error.
  await call(page, 'pg-room', 'slow', '20000');
  await page.locator('[data-watch-tab="objects"]').click();
  await expect(page.locator('[data-testid="object-row"][data-name="pg-room"][data-state="live"]')).toBeVisible();
  await deploy(page);
  await expect(log).toContainText(
    'pg-room.slow(20000) threw Error: Durable Object reset because its code was updated.  [durableObjectReset]',
  );

  // Broken syntax is refused at deploy, naming the place; the running version stays.
  await setFile(page, 'room.ts', 'export class Room { oops( }');
  await page.locator('#deploy').click();
  await expect(page.locator('#status')).toContainText('deploy failed — SyntaxError: room.ts:1:');
  await call(page, 'pg-room', 'increment', '2');
  await expect(log).toContainText('pg-room.increment(2) → 42');
});
