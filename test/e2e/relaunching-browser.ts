/**
 * A browser that is closed and launched again with the same profile, for
 * what must survive a relaunch (storage, alarms due while it was closed).
 */
import { chromium, expect, type LaunchOptions, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP } from './fixtures.ts';

export interface RelaunchingBrowser {
  /** Launch the browser on the profile, open the test app, run `fn`, close the browser. */
  session<T>(fn: (page: Page) => Promise<T>): Promise<T>;
  /** Delete the profile. */
  remove(): void;
}

export function relaunchingBrowser(launchOptions: LaunchOptions, baseURL: string): RelaunchingBrowser {
  const profile = mkdtempSync(join(tmpdir(), 'hearth-profile-'));
  return {
    async session(fn) {
      const context = await chromium.launchPersistentContext(profile, { ...launchOptions, baseURL });
      try {
        const page = await context.newPage();
        await page.goto(APP);
        await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
        return await fn(page);
      } finally {
        await context.close();
      }
    },
    remove() {
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
