/**
 * A code update resets live objects, and (as on Cloudflare) their WebSockets
 * are disconnected: the client sees a Close (1012, the reset text); a new
 * socket reaches the new code. Driven through the playground's WebSocket example.
 */
import { expect, test } from '@playwright/test';
import { deploy, fileText, openPlayground, setFile } from './playground-page.ts';

test('deploying new code closes the object’s sockets, and a new socket reaches the new code', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page);
  const log = page.locator('#log');
  await page.locator('#name').fill('ws-room');
  await page.locator('#ws-open').click();
  await expect(log).toContainText('ws open');
  await page.locator('#ws-text').fill('first');
  await page.locator('#ws-send').click();
  await expect(log).toContainText('ws ← Room ws-room (count 0) got: first');

  const code = await fileText(page, 'room.ts');
  await setFile(page, 'room.ts', code.replace(") got: ' + message", ") heard: ' + message"));
  await deploy(page);
  await expect(log).toContainText('ws closed 1012 Durable Object reset because its code was updated.');

  await page.locator('#ws-open').click();
  await expect(log.locator('div', { hasText: 'ws open' })).toHaveCount(2);
  await page.locator('#ws-text').fill('second');
  await page.locator('#ws-send').click();
  await expect(log).toContainText('ws ← Room ws-room (count 0) heard: second');
});
