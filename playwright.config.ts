import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests run in real headless Chromium (Debian's /usr/bin/chromium:
 * Playwright cannot download browsers here) against the Vite dev server:
 * real workers, SharedWorker, OPFS and SQLite — no mocks.
 */
const PORT = Number(process.env.HEARTH_TEST_PORT ?? 5199);

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
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}/test/app/index.html`,
    // Never share a server with another run: when that run ends, its server goes too.
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
