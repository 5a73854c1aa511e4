import { defineConfig } from 'vitest/config';

// Pure-logic unit tests run in Node; everything touching a browser feature is
// an end-to-end test under test/e2e (Playwright, real Chromium).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
  },
});
