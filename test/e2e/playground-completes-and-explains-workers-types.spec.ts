/**
 * Completion and hover in the playground's editor come from TypeScript's
 * language service over @cloudflare/workers-types: typing `this.ctx.storage.`
 * offers the storage API, and hovering a call shows its signature.
 */
import { expect, test } from '@playwright/test';
import { fileText, openPlayground, setFile } from './playground-page.ts';

test('typing this.ctx.storage. offers the storage API, and hovering setAlarm shows its signature', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page);
  await page.locator('.file-tabs [data-file="room.ts"]').click();
  const room = await fileText(page, 'room.ts');
  await setFile(page, 'room.ts', room.replace('  history() {', '  typed() {\n    \n  }\n\n  history() {'));
  await expect(page.locator('#problems')).toHaveAttribute('data-checked', /room\.ts/, { timeout: 60_000 });

  // Put the cursor on the empty line inside typed(), then type, as a person would.
  await page.evaluate(() => {
    const view = (window as any).playground.editor.view;
    const at = view.state.doc.toString().indexOf('typed() {\n') + 'typed() {\n    '.length;
    view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
    view.focus();
  });
  await page.keyboard.type('this.ctx.storage.');
  const list = page.locator('.cm-tooltip-autocomplete');
  await expect(list).toBeVisible({ timeout: 30_000 });
  for (const name of ['setAlarm', 'getAlarm', 'transaction', 'sql', 'kv']) {
    await expect(list.locator('.cm-completionLabel', { hasText: new RegExp(`^${name}$`) })).toHaveCount(1);
  }
  await page.keyboard.type('setAl');
  await page.keyboard.press('Enter');
  await expect(page.locator('.cm-content')).toContainText('this.ctx.storage.setAlarm');

  await page.locator('.cm-content span', { hasText: /^setAlarm$/ }).first().hover();
  await expect(page.locator('.ts-hover')).toContainText('setAlarm(scheduledTime: number | Date', { timeout: 30_000 });
});
