/**
 * Share: the whole project (every file, the config included) is in the link's
 * hash, compressed; opening the link in another browser — a new context, with
 * none of this one's storage — restores it, and it runs.
 */
import { expect, test } from '@playwright/test';
import { call, fileText, openPlayground, setFile } from './playground-page.ts';

test('a shared link opened in a new browser context restores every file and runs the shared code', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => localStorage.clear());
  await openPlayground(page);
  const room = await fileText(page, 'room.ts');
  const edited = room.replace('  history() {', "  shared() {\n    return 'from the shared link';\n  }\n\n  history() {");
  await setFile(page, 'room.ts', edited);
  const config = (await fileText(page, 'wrangler.jsonc')).replace('"name": "ROOM"', '"name": "SHARED_ROOM"');
  await setFile(page, 'wrangler.jsonc', config);
  await page.locator('#share').click();
  const url = await page.locator('#share-link').textContent();
  expect(url).toMatch(/\/playground\/#project=/);

  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await openPlayground(fresh, url!.slice(url!.indexOf('#')));
    expect(await fileText(fresh, 'room.ts')).toBe(edited);
    expect(await fileText(fresh, 'wrangler.jsonc')).toBe(config);
    const tabs = await fresh.locator('.file-tabs button[data-file]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.file));
    expect(tabs).toEqual(['worker.ts', 'room.ts', 'wrangler.jsonc']);
    // It deployed what the link holds: the renamed binding and the new method.
    await expect(fresh.locator('#binding')).toHaveValue('SHARED_ROOM');
    await call(fresh, 'somewhere', 'shared');
    await expect(fresh.locator('#log')).toContainText('somewhere.shared() → from the shared link');
  } finally {
    await other.close();
  }
});
