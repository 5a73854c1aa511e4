/**
 * STYLE.md §8: a full disk is its own error. With the origin's quota made
 * small through the DevTools protocol (`Storage.overrideQuotaForOrigin`), a
 * write that does not fit fails with `QuotaExceededError` — not an anonymous
 * internal error — the object keeps serving reads, and everything committed
 * before is intact after a reload.
 */
import { test, expect, openApp } from './fixtures.ts';

test.setTimeout(120_000);

test('a write over the quota fails with QuotaExceededError; reads keep working and committed data survives a reload', async ({ context, baseURL }) => {
  const app = await openApp(context);
  const origin = new URL(baseURL!).origin;
  const put = (key: string, size: number) =>
    app.evaluate(
      ([key, size]) => window.hearth.probe('quota', `async (storage) => { await storage.put(${JSON.stringify(key)}, 'x'.repeat(${size})); return 'stored'; }`),
      [key, size] as const,
    );
  const read = () =>
    app.evaluate(() =>
      window.hearth.probe('quota', `async (storage) => Object.fromEntries([...(await storage.list())].map(([k, v]) => [k, v.length]))`),
    );

  expect(await put('before', 1000)).toEqual({ ok: true, value: 'stored' });
  const usage = await app.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  const cdp = await context.newCDPSession(app);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 256 * 1024 });
  try {
    // Four megabytes (in one turn, so one commit) cannot fit in 256 KB more. The probe's own try/catch never sees it: the commit fails after the handler.
    const over = await app.evaluate(() =>
      window.hearth.settle(
        window.hearth.runtime.env.PROBE.getByName('quota').fetch('https://probe.test/', {
          method: 'POST',
          body: `async (storage) => { const big = {}; for (let i = 0; i < 8; i++) big['big' + i] = String(i).repeat(512 * 1024); await storage.put(big); return 'stored'; }`,
        }).then((r: Response) => r.text()),
      ),
    );
    expect(over.ok).toBe(false);
    expect(over.error.name).toBe('QuotaExceededError');
    expect(over.error.message).toMatch(/^Durable Object storage quota exceeded: the browser refused to store more data for this origin while committing a write\./);
    expect(over.error.durableObjectReset).toBe(true);
    expect(over.error.message).not.toContain('Internal error');

    // The object still serves reads (a fresh instance: the failed commit reset it), and small writes that fit.
    expect(await read()).toEqual({ ok: true, value: { before: 1000 } });
    expect(await put('small', 10)).toEqual({ ok: true, value: 'stored' });
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }

  await app.reload();
  await expect(app.locator('body')).toHaveAttribute('data-ready', 'true');
  expect(await read()).toEqual({ ok: true, value: { before: 1000, small: 10 } });
});
