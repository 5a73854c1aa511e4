import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './bench/chromium.mjs';

/**
 * End-to-end tests run in real headless Chromium (Debian's /usr/bin/chromium:
 * Playwright cannot download browsers here) against the Vite dev server:
 * real workers, SharedWorker, OPFS and SQLite — no mocks.
 */
const PORT = Number(process.env.HEARTH_TEST_PORT ?? 5199);
/** The edge test app (test/edge-app) is its own Vite project, set up as a user would; it gets the next port. */
export const EDGE_APP_PORT = PORT + 1;
/** The chaos suite's app (test/chaos-app), also its own Vite project. */
export const CHAOS_APP_PORT = PORT + 2;

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: process.env.CI ? 2 : 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'chromium' },
    // The same specs with SharedWorker deleted before Hearth starts: the coordinator runs in a leader tab (test/e2e/fixtures.ts).
    // The devtools' specs whose panels or actions go through the coordinator run here too (logs and the timeline
    // come from the tabs over a BroadcastChannel, the same in both modes).
    {
      name: 'leader-tab',
      testMatch: new RegExp(
        `/(${[
          'uniqueness-across-tabs',
          'failover-when-host-tab-closes',
          'coordinator-crash-is-survived',
          'edge-runs-the-worker',
          'devtools-reach-the-leader-tab-coordinator',
          'devtools-list-objects-across-tabs',
          'devtools-objects-show-jurisdiction-size-alarm-and-sockets',
          'devtools-show-kv-and-sql',
          'devtools-edit-kv-value-object-sees-it',
          'devtools-export-then-import-restores-data',
          'devtools-evict-now-reruns-constructor',
          'devtools-hibernate-now-keeps-sockets-open',
          'devtools-close-socket-as-a-lost-connection',
          'devtools-fire-alarm-now-delivers-it-with-retries',
          'devtools-wipe-object-empties-storage-and-resets-it',
          'devtools-wipe-namespace-empties-every-object-of-it',
        ].join('|')})\\.spec\\.ts$`,
      ),
    },
  ],
  webServer: [
    {
      command: `npx vite --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}/test/app/index.html`,
      // Never share a server with another run: when that run ends, its server goes too.
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite --config test/edge-app/vite.config.ts --port ${EDGE_APP_PORT} --strictPort`,
      url: `http://localhost:${EDGE_APP_PORT}/index.html`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command: `npx vite --config test/chaos-app/vite.config.ts --port ${CHAOS_APP_PORT} --strictPort`,
      url: `http://localhost:${CHAOS_APP_PORT}/index.html`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
