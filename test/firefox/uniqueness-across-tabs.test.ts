import { afterAll, beforeAll, expect, test } from 'vitest';
import type { BrowserContext } from 'puppeteer-core';
import { freshContext, openApp } from './firefox.ts';

let browser: BrowserContext;
beforeAll(async () => {
  browser = await freshContext();
});
afterAll(async () => {
  await browser?.close();
});

test('three Firefox tabs sending 300 concurrent increments to one object count exactly 300, through one instance', async () => {
  const tabs = [await openApp(browser), await openApp(browser), await openApp(browser)];
  const results = await Promise.all(
    tabs.map((tab) =>
      tab.evaluate(async () => {
        const stub = window.hearth.stub('LEDGER', 'shared');
        const responses = await Promise.all(
          Array.from({ length: 100 }, () => stub.fetch('https://ledger.test/increment').then((r) => r.json())),
        );
        return responses as { n: number; instance: string }[];
      }),
    ),
  );
  const all = results.flat();
  expect(all).toHaveLength(300);
  expect(new Set(all.map((r) => r.n)).size).toBe(300);
  expect(Math.max(...all.map((r) => r.n))).toBe(300);

  const state = await tabs[2]!.evaluate(() => window.hearth.json('LEDGER', 'shared', '/'));
  expect(state.n).toBe(300);
  expect(state.constructions).toHaveLength(1);
  expect(new Set(all.map((r) => r.instance))).toEqual(new Set([state.constructions[0]]));

  const inspection = await tabs[0]!.evaluate(() => window.hearth.runtime.inspect());
  const entries = inspection.live.filter((e) => e.name === 'shared');
  expect(entries).toHaveLength(1);
  expect(entries[0]!.state).toBe('live');
});
