/**
 * Fixtures for the KV storage conformance suite (`kv-*.spec.ts`).
 *
 * Booting Hearth in a fresh browser context costs ~2 s, and the suite has
 * dozens of cases, so the cases share one page per Playwright worker and each
 * case gets its own objects instead: `probe` runs code in an object named after
 * the test, so no two cases ever see each other's storage. A failing case makes
 * Playwright replace the worker, and with it the page. Cases that need a fresh
 * page of their own (a reload) use the ordinary `app` fixture.
 */
import type { Page } from '@playwright/test';
import { test as base, expect, openApp } from './fixtures.ts';

export type ProbeResult = { ok: boolean; value?: any; error?: any };
export type Backend = 'PROBE' | 'KV_PROBE';

/** Run `code` — the source of `async (storage, ctx, self) => …` — in this test's object of `binding`. */
export type RunProbe = (code: string, binding?: Backend) => Promise<ProbeResult>;

export const test = base.extend<{ probe: RunProbe }, { sharedApp: Page }>({
  sharedApp: [
    async ({ browser }, use, workerInfo) => {
      const context = await browser.newContext({ baseURL: workerInfo.project.use.baseURL });
      await use(await openApp(context));
      await context.close();
    },
    { scope: 'worker' },
  ],
  probe: async ({ sharedApp }, use, testInfo) => {
    await use((code, binding = 'PROBE') =>
      sharedApp.evaluate(([name, c, b]) => window.hearth.probe(name, c, b), [testInfo.testId, code, binding] as const),
    );
  },
});

export { expect };

/** Both storage backends, for cases that must hold on each. */
export const BACKENDS: Backend[] = ['PROBE', 'KV_PROBE'];
