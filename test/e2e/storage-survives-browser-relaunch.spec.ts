import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, APP } from './fixtures.ts';

test('storage survives closing and relaunching the browser with the same profile', async ({ baseURL, launchOptions }) => {
  const profile = mkdtempSync(join(tmpdir(), 'hearth-profile-'));
  const session = async <T>(fn: (page: import('@playwright/test').Page) => Promise<T>): Promise<T> => {
    const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL: baseURL! });
    try {
      const page = await context.newPage();
      await page.goto(APP);
      await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
      return await fn(page);
    } finally {
      await context.close();
    }
  };
  try {
    const written = await session((page) =>
      page.evaluate(async () => {
        for (let i = 0; i < 7; i++) await window.hearth.fetch('COUNTER', 'durable', '/increment');
        return (await window.hearth.fetch('COUNTER', 'durable', '/')).text;
      }),
    );
    expect(written).toBe('7');
    const reread = await session((page) => page.evaluate(async () => (await window.hearth.fetch('COUNTER', 'durable', '/')).text));
    expect(reread).toBe('7');
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
