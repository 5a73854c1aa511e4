/**
 * The playground: code typed into the page runs inside object workers; a
 * deploy keeps storage and resets the objects running the old code.
 */
import { expect, test } from '@playwright/test';

test('the playground deploys edited code: storage stays, the object runs the new code', async ({ page }) => {
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await page.goto('/playground/');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const log = page.locator('#log');
  await page.locator('#name').fill('pg-room');
  await page.locator('#method').fill('increment');
  await page.locator('#args').fill('2');
  await page.locator('#call').click();
  await expect(log).toContainText('pg-room.increment(2) → 2');

  // Edit the class: increment now counts tenfold. Deploy, call again.
  const code = await page.locator('#code').inputValue();
  await page.locator('#code').fill(code.replace('const count = (this.ctx.storage.kv.get(\'count\') ?? 0) + by;', 'const count = (this.ctx.storage.kv.get(\'count\') ?? 0) + by * 10;'));
  const firstVersion = await page.locator('#version').textContent();
  await page.locator('#deploy').click();
  await expect(page.locator('#version')).not.toHaveText(firstVersion!);
  await page.locator('#call').click();
  await expect(log).toContainText('pg-room.increment(2) → 22');

  // A deploy while a call is running: that call fails with Cloudflare's code-update error.
  await page.locator('#method').fill('slow');
  await page.locator('#args').fill('20000');
  await page.locator('#call').click();
  await expect(page.locator('#live')).toContainText('pg-room');
  const secondVersion = await page.locator('#version').textContent();
  await page.locator('#deploy').click();
  await expect(page.locator('#version')).not.toHaveText(secondVersion!);
  await expect(log).toContainText(
    'pg-room.slow(20000) threw Error: Durable Object reset because its code was updated.  [durableObjectReset]',
  );
  await page.locator('#method').fill('increment');
  await page.locator('#args').fill('2');

  // A syntax error in the code is reported when the object starts, and the page stays usable.
  await page.locator('#code').fill('export class Room { oops( }');
  await page.locator('#deploy').click();
  await page.locator('#call').click();
  await expect(log).toContainText('pg-room.increment(2) threw SyntaxError');
});
