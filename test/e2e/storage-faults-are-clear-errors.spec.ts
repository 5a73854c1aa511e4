import { test, expect, openApp, APP } from './fixtures.ts';

test('a lock held by a stale instance makes callers wait, then fail clearly; never two instances', async ({ context }) => {
  const app = await openApp(context, { lockTimeoutMs: 500 });
  const result = await app.evaluate(async () => {
    const ns = window.hearth.runtime.env.LEDGER;
    const id = ns.idFromName('contested').toString();
    // Play the stale instance: hold the object's lock from outside.
    let release!: () => void;
    await new Promise<void>((held) => {
      void navigator.locks.request(`hearth:object:hearth-test-app-Ledger:${id}`, () => {
        held();
        return new Promise<void>((r) => (release = r));
      });
    });
    const blocked = await window.hearth.settle(ns.getByName('contested').fetch('https://l.test/increment'));
    release();
    const after = await (await ns.getByName('contested').fetch('https://l.test/increment')).json();
    return { blocked, after };
  });
  expect(result.blocked.ok).toBe(false);
  expect(result.blocked.error.name).toBe('StorageBusyError');
  expect(result.blocked.error.message).toContain('another instance of this object still holds it');
  expect(result.after.n).toBe(1);
});

test('without OPFS, start() fails with a clear error instead of falling back to memory', async ({ context }) => {
  const page = await context.newPage();
  // Play a browser without the Origin Private File System.
  await page.addInitScript(() => {
    delete (StorageManager.prototype as { getDirectory?: unknown }).getDirectory;
  });
  await page.goto(APP);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'error');
  const error = await page.locator('body').getAttribute('data-error');
  expect(error).toContain('UnsupportedBrowserError');
  expect(error).toContain('Origin Private File System');
  expect(error).toContain('never emulated in memory');
});
