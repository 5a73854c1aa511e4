/**
 * Fixtures for the KV storage conformance suite (`kv-*.spec.ts`).
 *
 * The cases share one page per Playwright worker (`sharedApp`, fixtures.ts)
 * and each case gets its own objects: `probe` runs code in an object named
 * after the test, so no two cases ever see each other's storage. Cases that
 * need a fresh page of their own (a reload) use the ordinary `app` fixture.
 */
import { test as base, expect } from './fixtures.ts';

export type ProbeResult = { ok: boolean; value?: any; error?: any };
export type Backend = 'PROBE' | 'KV_PROBE';

/** Run `code` — the source of `async (storage, ctx, self) => …` — in this test's object of `binding`. */
export type RunProbe = (code: string, binding?: Backend) => Promise<ProbeResult>;

export const test = base.extend<{ probe: RunProbe }>({
  probe: async ({ sharedApp }, use, testInfo) => {
    await use((code, binding = 'PROBE') =>
      sharedApp.evaluate(([name, c, b]) => window.hearth.probe(name, c, b), [testInfo.testId, code, binding] as const),
    );
  },
});

export { expect };

/** Both storage backends, for cases that must hold on each. */
export const BACKENDS: Backend[] = ['PROBE', 'KV_PROBE'];
