import { expect, test as base, type BrowserContext, type Page } from '@playwright/test';

export const APP = '/test/app/index.html';

/** Open the test app in a new tab of `context` and wait until Hearth has started. */
export async function openApp(
  context: BrowserContext,
  settings: Record<string, unknown> = {},
  limits?: Record<string, unknown>,
  observability?: Record<string, unknown>,
): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  const params = new URLSearchParams();
  if (Object.keys(settings).length) params.set('hearth', JSON.stringify(settings));
  if (limits) params.set('limits', JSON.stringify(limits));
  if (observability) params.set('observability', JSON.stringify(observability));
  const query = params.size ? `?${params}` : '';
  await page.goto(APP + query);
  await expect(page.locator('body')).toHaveAttribute('data-ready', /true|error/);
  const state = await page.locator('body').getAttribute('data-ready');
  if (state !== 'true') throw new Error(`Hearth failed to start: ${await page.locator('body').getAttribute('data-error')}`);
  await expectCoordinatorMode(page, () => page.evaluate(() => window.hearth.runtime.coordinator));
  return page;
}

/**
 * The `leader-tab` project (playwright.config.ts) runs the specs it lists a
 * second time with `SharedWorker` deleted before any page script runs, as on
 * Android Chrome before 148: Hearth must then elect a leader tab.
 */
export const LEADER_TAB_PROJECT = 'leader-tab';

/** In the leader-tab project, remove SharedWorker before any of the context's pages runs a script. */
async function asProject(context: BrowserContext, projectName: string): Promise<BrowserContext> {
  if (projectName === LEADER_TAB_PROJECT) {
    await context.addInitScript(() => {
      delete (window as { SharedWorker?: unknown }).SharedWorker;
    });
  }
  return context;
}

/**
 * `app`: the test app in a fresh browser context of the test's own.
 *
 * `sharedApp`: one test-app page per Playwright worker, for cases that only
 * call objects. Booting Hearth in a fresh context costs ~2 s (more on a busy
 * machine), so a file of many such cases shares this page instead, and each
 * case uses objects of its own (or stateless ones), so no case sees
 * another's storage or instances. A failing case makes Playwright replace the worker,
 * and with it the page. A case that reloads, closes or crashes its page, or
 * reads what else is live, uses `app`.
 */
export const test = base.extend<{ app: Page }, { sharedApp: Page }>({
  context: async ({ context }, use, testInfo) => {
    await use(await asProject(context, testInfo.project.name));
  },
  app: async ({ context }, use) => {
    await use(await openApp(context));
  },
  sharedApp: [
    async ({ browser }, use, workerInfo) => {
      const context = await asProject(await browser.newContext({ baseURL: workerInfo.project.use.baseURL }), workerInfo.project.name);
      await use(await openApp(context));
      await context.close();
    },
    { scope: 'worker' },
  ],
});

export { expect };

/** In the leader-tab project, the page really runs without a SharedWorker coordinator (else the run proves nothing). */
export async function expectCoordinatorMode(page: Page, mode: () => Promise<string>): Promise<void> {
  const project = test.info().project.name;
  expect(await mode(), `coordinator of ${page.url()}`).toBe(project === LEADER_TAB_PROJECT ? 'leader-tab' : 'shared-worker');
}

/** Types of the helpers main.ts puts on window, for page.evaluate callbacks. */
export interface Helpers {
  runtime: import('../../src/index.ts').Runtime;
  stub(binding: string, name: string): import('../../src/caller/stub.ts').DurableObjectStub;
  fetch(binding: string, name: string, path: string, init?: RequestInit): Promise<{ status: number; statusText: string; text: string; headers: [string, string][] }>;
  json(binding: string, name: string, path: string): Promise<any>;
  probe(name: string, code: string, binding?: string): Promise<{ ok: boolean; value?: any; error?: any }>;
  settle<T>(promise: Promise<T>): Promise<{ ok: boolean; value?: T; error?: any }>;
  /** Upgrade through a stub; returns an id for `socket(id)`. */
  openSocket(binding: string, name: string, path: string): Promise<number>;
  socket(id: number): { ws: any; messages: unknown[]; closes: { code: number; reason: string; wasClean: boolean }[] };
}

declare global {
  interface Window {
    hearth: Helpers;
  }
}
