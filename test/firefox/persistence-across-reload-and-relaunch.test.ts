import { afterAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefox, openApp } from './firefox.ts';

const profile = mkdtempSync(join(tmpdir(), 'hearth-firefox-profile-'));
afterAll(() => rmSync(profile, { recursive: true, force: true }));

test('a counter keeps its storage across a reload and across closing and relaunching Firefox', async () => {
  let browser = await launchFirefox(profile);
  try {
    const page = await openApp(browser);
    const counts = await page.evaluate(async () => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) out.push((await window.hearth.fetch('COUNTER', 'kept', '/increment')).text);
      out.push((await window.hearth.fetch('COUNTER', 'kept', '/decrement')).text);
      return out;
    });
    expect(counts).toEqual(['1', '2', '3', '4', '5', '4']);

    await page.reload();
    await page.waitForFunction(() => document.body?.dataset.ready === 'true', { timeout: 60_000 });
    expect(await page.evaluate(async () => (await window.hearth.fetch('COUNTER', 'kept', '/')).text)).toBe('4');
    expect(await page.evaluate(async () => (await window.hearth.fetch('COUNTER', 'other', '/')).text)).toBe('0');
  } finally {
    await browser.close();
  }

  browser = await launchFirefox(profile);
  try {
    const page = await openApp(browser);
    expect(await page.evaluate(async () => (await window.hearth.fetch('COUNTER', 'kept', '/')).text)).toBe('4');
  } finally {
    await browser.close();
  }
});
