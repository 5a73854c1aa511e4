import { defineConfig } from 'vitest/config';

// The end-to-end subset in Firefox ESR (npm run test:firefox): puppeteer-core
// over WebDriver BiDi, one browser per file, one file at a time (the machine
// has 2 cores; Firefox is slower to start than Chromium).
export default defineConfig({
  test: {
    include: ['test/firefox/**/*.test.ts'],
    globalSetup: ['test/firefox/servers.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
