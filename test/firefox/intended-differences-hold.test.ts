/**
 * The differences from workerd that Hearth keeps on purpose
 * (docs/intended-differences.md; the list of record is
 * test/differential/intended-differences.ts) are Hearth's behaviour in
 * Firefox too: each such scenario runs in Firefox, and every documented path
 * holds exactly Hearth's documented value. (workerd's side is checked by the
 * Chromium run's differential test; it does not depend on the browser.)
 *
 * SpiderMonkey gives every Error its own `fileName`, `lineNumber` and
 * `columnNumber` properties (V8 has none), and Hearth carries an error's own
 * properties across threads as they are: those three are the engine's, not
 * Hearth's, so they are left out of the comparison.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext, Page } from 'puppeteer-core';
import { INTENDED_DIFFERENCES } from '../differential/intended-differences.ts';
import { valueAt, type Json } from '../differential/compare.ts';
import type {} from '../differential/main.ts';
import { freshContext, openPage } from './firefox.ts';
import { ROOT } from './ports.ts';

let browser: BrowserContext;
let page: Page;
beforeAll(async () => {
  browser = await freshContext();
  page = await openPage(browser, `${ROOT}/test/differential/index.html`);
});
afterAll(async () => {
  await browser?.close();
});

const ENGINE_OWN_PROPERTIES = new Set(['fileName', 'lineNumber', 'columnNumber']);

/** JSON with sorted keys, without SpiderMonkey's own Error properties in any `props` record (describe.js). */
const canonical = (value: unknown) =>
  JSON.stringify(value, function (key, v) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const keys = Object.keys(v).filter((k) => key !== 'props' || !ENGINE_OWN_PROPERTIES.has(k));
    return Object.fromEntries(keys.sort().map((k) => [k, v[k]]));
  });

for (const [id, expected] of Object.entries(INTENDED_DIFFERENCES)) {
  test(`${id}: Hearth in Firefox gives the documented values`, async () => {
    const result = (await page.evaluate((id) => window.differential.run(id), id)) as Json;
    for (const [path, sides] of Object.entries(expected.differs)) {
      expect(canonical(valueAt(result, path)), `${id} ${path}`).toBe(canonical(sides.hearth));
    }
  });
}
