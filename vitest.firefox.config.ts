import { defineConfig } from 'vitest/config';

// The end-to-end subset in Firefox ESR (npm run test:firefox): puppeteer-core
// over WebDriver BiDi, one file at a time (the machine has 2 cores), in one
// process so the files can share one Firefox, each in a fresh browser context
// (test/firefox/firefox.ts); the relaunch and offline files start their own.
export default defineConfig({
  test: {
    include: ['test/firefox/**/*.test.ts'],
    globalSetup: ['test/firefox/servers.ts'],
    fileParallelism: false,
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
