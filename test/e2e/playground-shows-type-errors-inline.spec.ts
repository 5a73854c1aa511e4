/**
 * The playground's editor type-checks the Worker against
 * @cloudflare/workers-types (TypeScript 6's language service, in a worker,
 * with the .d.ts files bundled): a wrong `ctx.storage` call is underlined
 * where it is written and listed with its message.
 */
import { expect, test } from '@playwright/test';
import { fileText, openPlayground, setFile } from './playground-page.ts';

test('a wrong ctx.storage call is marked inline with TypeScript\'s message, and fixing it clears the mark', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page);
  await page.locator('.file-tabs [data-file="room.ts"]').click();
  const room = await fileText(page, 'room.ts');
  // put() needs a value; setAlarm() takes a time, not a string. The starter code itself has no errors.
  await expect(page.locator('#problems')).toHaveAttribute('data-checked', /room\.ts/, { timeout: 60_000 });
  await expect(page.locator('#problems li')).toHaveCount(0);
  const wrong = room.replace('  history() {', "  broken() {\n    this.ctx.storage.put('only a key');\n    return this.ctx.storage.setAlarm('soon');\n  }\n\n  history() {");
  await setFile(page, 'room.ts', wrong);
  await expect(page.locator('.cm-lintRange-error').first()).toBeVisible({ timeout: 60_000 });
  // put() with a key alone matches only its other overload, put(entries).
  await expect(page.locator('#problems')).toContainText("Argument of type 'string' is not assignable to parameter of type 'Record<string, unknown>'.");
  await expect(page.locator('#problems')).toContainText("Argument of type 'string' is not assignable to parameter of type 'number | Date'.");
  await expect(page.locator('.file-tabs [data-file="room.ts"]')).toBeVisible();
  // The underlines are on the arguments that are wrong, and nowhere else.
  await expect(page.locator('.cm-lintRange-error')).toHaveText(["'only a key'", "'soon'"]);

  await setFile(page, 'room.ts', room);
  await expect(page.locator('.cm-lintRange-error')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.locator('#problems li')).toHaveCount(0);
});
