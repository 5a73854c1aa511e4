/**
 * DESIGN §4.6: the coordinator (a SharedWorker) can die while tabs live — in
 * Chromium it can share a renderer with a tab, and a crash of that tab takes
 * it along; the browser can also end the SharedWorker itself. Tabs learn of it
 * through the coordinator's Web Lock, re-attach to a new one and re-announce
 * what they host; nothing pending hangs, and each object keeps one instance.
 *
 * In the leader-tab project (no SharedWorker) the first tab is the elected
 * leader, so the first test crashes the leader: the other tab takes over.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { test, expect, openApp, LEADER_TAB_PROJECT } from './fixtures.ts';

test.setTimeout(120_000);

type Outcome = { ok: boolean; n?: number; error?: { message: string; retryable?: boolean } };

/** Start a stream of increments on `name` from `page`, and hold one slow call open. */
async function startStream(page: Page, name: string): Promise<void> {
  await page.evaluate((name) => {
    const w = window as any;
    w.streams ??= {};
    const s = (w.streams[name] = { outcomes: [] as Outcome[], stop: false, loop: undefined as unknown });
    const stub = window.hearth.stub('LEDGER', name);
    s.loop = (async () => {
      while (!s.stop) {
        try {
          const r = await stub.fetch('https://ledger.test/increment');
          s.outcomes.push({ ok: true, n: (await r.json()).n });
        } catch (error) {
          const e = error as Error & { retryable?: boolean };
          s.outcomes.push({ ok: false, error: { message: e.message, retryable: e.retryable } });
        }
      }
    })();
  }, name);
}

async function stopStream(page: Page, name: string): Promise<Outcome[]> {
  return page.evaluate(async (name) => {
    const s = (window as any).streams[name];
    s.stop = true;
    await s.loop;
    return s.outcomes as Outcome[];
  }, name);
}

const okCount = (page: Page, name: string) =>
  page.evaluate((name) => (window as any).streams[name].outcomes.filter((o: Outcome) => o.ok).length as number, name);

/** The coordinator's id as a tab sees it (a new id means a new coordinator). */
const coordinatorOf = async (page: Page) => (await page.evaluate(() => window.hearth.runtime.inspect())).coordinatorId;

async function checkSurvivor(survivor: Page, before: string, hostedHere: string, hostedThere: string): Promise<void> {
  // Questions that need a coordinator are answered, by a new one.
  await expect.poll(() => coordinatorOf(survivor), { timeout: 30_000 }).not.toBe(before);
  // An object never reached before gets placed (here: the only host left).
  const fresh = await survivor.evaluate(() => window.hearth.json('LEDGER', `fresh-${Math.random()}`, '/increment'));
  expect(fresh.n).toBe(1);

  // Streams to the object hosted here and to the one on the dead tab both keep going.
  const [hereAt, thereAt] = [await okCount(survivor, hostedHere), await okCount(survivor, hostedThere)];
  await expect.poll(() => okCount(survivor, hostedHere)).toBeGreaterThan(hereAt + 10);
  await expect.poll(() => okCount(survivor, hostedThere)).toBeGreaterThan(thereAt + 10);
  for (const name of [hostedHere, hostedThere]) {
    const outcomes = await stopStream(survivor, name);
    for (const o of outcomes.filter((o) => !o.ok)) expect(o.error).toEqual({ message: 'Network connection lost.', retryable: true });
    const state = await survivor.evaluate((name) => window.hearth.json('LEDGER', name, '/'), name);
    const acknowledged = outcomes.filter((o) => o.ok).length;
    // No acknowledged increment lost; none applied more than once per call made.
    expect(state.n).toBeGreaterThanOrEqual(acknowledged);
    expect(state.n).toBeLessThanOrEqual(outcomes.length + 1);
  }
  // The object hosted here was re-announced: it is the same instance, still here, and the only one.
  const survivorId = await survivor.evaluate(() => window.hearth.runtime.hostId);
  const inspection = await survivor.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.live.filter((e) => e.name === hostedHere).map((e) => e.hostId)).toEqual([survivorId]);
  const here = await survivor.evaluate((name) => window.hearth.json('LEDGER', name, '/'), hostedHere);
  expect(here.constructions.length).toBe(1);
}

async function setUp(context: BrowserContext): Promise<{ first: Page; survivor: Page; before: string }> {
  // The first tab starts the coordinator, so it is the tab most likely to share its renderer.
  const first = await openApp(context);
  const survivor = await openApp(context);
  expect(await first.evaluate(() => window.hearth.json('LEDGER', 'on-first', '/increment'))).toMatchObject({ n: 1 });
  expect(await survivor.evaluate(() => window.hearth.json('LEDGER', 'on-survivor', '/increment'))).toMatchObject({ n: 1 });
  const before = await coordinatorOf(survivor);
  await startStream(survivor, 'on-survivor');
  await startStream(survivor, 'on-first');
  await expect.poll(() => okCount(survivor, 'on-first')).toBeGreaterThan(10);
  return { first, survivor, before };
}

test('when the renderer of the tab that shares a process with the coordinator crashes, the other tab re-attaches and nothing hangs', async ({ context }) => {
  const { first, survivor, before } = await setUp(context);
  const cdp: CDPSession = await context.newCDPSession(first);
  void cdp.send('Page.crash').catch(() => {}); // never answers: the renderer is gone
  await checkSurvivor(survivor, before, 'on-survivor', 'on-first');
});

test('when the browser ends the coordinator SharedWorker itself, every tab re-attaches and nothing hangs', async ({ context, browser }) => {
  test.skip(test.info().project.name === LEADER_TAB_PROJECT, 'there is no SharedWorker to end');
  const { survivor, before } = await setUp(context);
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const coordinator = targetInfos.find((t) => t.type === 'shared_worker');
  expect(coordinator, JSON.stringify(targetInfos.map((t) => t.type))).toBeDefined();
  await cdp.send('Target.closeTarget', { targetId: coordinator!.targetId });
  await checkSurvivor(survivor, before, 'on-survivor', 'on-first');
});
