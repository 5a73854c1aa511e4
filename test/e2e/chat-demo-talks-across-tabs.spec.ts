/**
 * The chat demo (demo/chat/): two tabs in one room, each on a browser-standard
 * WebSocket answered by the Worker; a message typed in one appears in both.
 */
import { expect, test } from '@playwright/test';

test('a message typed in one chat tab appears in the other', async ({ context }) => {
  const open = async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
    await page.goto('/demo/chat/?room=e2e');
    await expect(page.locator('#status')).toHaveText('connected');
    return page;
  };
  const a = await open();
  const b = await open();
  await a.locator('#text').fill('hello from a');
  await a.locator('#send').press('Enter');
  const me = await a.locator('#me').textContent();
  await expect(b.locator('#log')).toContainText(`${me}: hello from a`);
  await expect(a.locator('#log')).toContainText(`${me}: hello from a`);
});
