import { test, expect, openApp } from './fixtures.ts';

test('start() asks for persistent storage and reports the answer and the usage estimate on the runtime', async ({ context }) => {
  const page = await openApp(context);
  const before = await page.evaluate(async () => {
    const storage = window.hearth.runtime.storage;
    return { persisted: await storage.persisted(), browserSays: await navigator.storage.persisted(), estimate: await storage.estimate() };
  });
  // Whatever the browser decided, the runtime reports exactly that.
  expect(typeof before.persisted).toBe('boolean');
  expect(before.persisted).toBe(before.browserSays);
  expect(before.estimate.quota).toBeGreaterThan(0);

  // Usage counts what objects store in OPFS.
  await page.evaluate(() => window.hearth.probe('estimate', 'async (storage) => { await storage.put("big", "x".repeat(1 << 20)); return true; }'));
  await expect
    .poll(() => page.evaluate(async () => (await window.hearth.runtime.storage.estimate()).usage))
    .toBeGreaterThan(before.estimate.usage);
});
