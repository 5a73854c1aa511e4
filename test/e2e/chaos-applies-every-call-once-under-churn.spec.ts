/**
 * The chaos suite (test/chaos/chaos.ts). In `npm test` a short run: one trial
 * of each kind of churn, one browser kill, the quota probe, and the fault
 * injections that show each counter can fail. `npm run chaos` runs the full
 * set (CHAOS_TRIALS churn trials, CHAOS_KILLS browser kills) and writes the
 * figures to test-results/chaos-full.json (docs/reliability.md quotes them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import { CHAOS_APP_PORT } from '../../playwright.config.ts';
import { browserKills, churnTrial, CHURN_KINDS, emptyCounters, Ledger, listen, quotaProbe, type ChurnKind, type Counters } from '../chaos/chaos.ts';

const URL = `http://localhost:${CHAOS_APP_PORT}/index.html`;
const FULL = process.env.CHAOS_FULL === '1';
const TRIALS = Number(process.env.CHAOS_TRIALS ?? (FULL ? 105 : 5)); // short: host reload, host crash, host close, first-tab crash, service worker stopped (+ a reload)
const KILLS = Number(process.env.CHAOS_KILLS ?? (FULL ? 20 : 1));
const log = FULL ? (line: string) => console.log(`[chaos] ${line}`) : undefined;

test.describe.configure({ mode: 'serial' });

const summary: Record<string, unknown> = {};
test.afterAll(() => {
  mkdirSync('test-results', { recursive: true });
  writeFileSync(`test-results/chaos-${FULL ? 'full' : 'short'}.json`, JSON.stringify(summary, null, 2));
  if (FULL) console.log(JSON.stringify(summary, null, 2));
});

/** Trial `i` churns with one kind in turn; every fifth trial adds a host-tab reload on top. */
function kindsFor(i: number): ChurnKind[] {
  const kind = CHURN_KINDS[i % CHURN_KINDS.length]!;
  return i % 5 === 4 && kind !== 'reload-host' ? [kind, 'reload-host'] : [kind];
}

function expectClean(counters: Counters): void {
  expect(counters.notes).toEqual([]);
  expect(counters.doubleInstances).toBe(0);
  expect(counters.acknowledgedButLost).toBe(0);
  expect(counters.appliedTwice).toBe(0);
  expect(counters.hung).toBe(0);
  // Failures under churn are all of the kind a caller may retry.
  for (const [error, row] of Object.entries(counters.rejections)) expect({ error, ...row }).toEqual({ error, ...row, retryable: row.count });
}

test(`under churn (${TRIALS} trials: tabs reloaded, closed, crashed; the service worker stopped) no call runs twice, none acknowledged is lost, none hangs, one instance at a time`, async ({ browser }) => {
  test.setTimeout(FULL ? 60 * 60_000 : 150_000);
  const counters = emptyCounters();
  const ledger = new Ledger(counters);
  const context = await browser.newContext();
  await listen(context, ledger);
  const tabs: Parameters<typeof churnTrial>[1] = [];
  const started = Date.now();
  for (let i = 0; i < TRIALS; i++) await churnTrial(context, tabs, ledger, i, { url: URL, kinds: kindsFor(i), ...(log ? { log } : {}) });
  await context.close();
  summary.churn = { ...counters, wallSeconds: Math.round((Date.now() - started) / 1000) };
  expect(counters.churnTrials).toBe(TRIALS);
  expect(counters.acknowledged).toBeGreaterThan(TRIALS * 10);
  expectClean(counters);
});

test(`the browser SIGKILLed mid-stream (${KILLS}×) and relaunched on the same profile loses no acknowledged call and applies none twice`, async () => {
  test.setTimeout(FULL ? 30 * 60_000 : 90_000);
  const counters = emptyCounters();
  const ledger = new Ledger(counters);
  const started = Date.now();
  await browserKills(URL, KILLS, ledger, log);
  summary.kills = { ...counters, wallSeconds: Math.round((Date.now() - started) / 1000) };
  expect(counters.browserKills).toBe(KILLS);
  expect(counters.acknowledged).toBeGreaterThan(KILLS * 5);
  expect(counters.notes).toEqual([]);
  expect(counters.acknowledgedButLost).toBe(0);
  expect(counters.appliedTwice).toBe(0);
  expect(counters.doubleInstances).toBe(0);
});

test('the quota probe: a full origin gives QuotaExceededError, reads go on, nothing acknowledged is lost; bad inputs are refused clearly', async ({ browser }) => {
  test.setTimeout(120_000);
  const counters = emptyCounters();
  const context = await browser.newContext();
  const result = await quotaProbe(context, URL, new Ledger(counters));
  await context.close();
  summary.quota = result;
  expect(result.acknowledgedBeforeQuota).toBeGreaterThan(1);
  expect(result.quotaError).toMatchObject({ name: 'QuotaExceededError', durableObjectReset: true });
  expect(result.readsAfterQuota).toBe(true);
  expect(result.lostAfterReload).toBe(0);
  // Each refused, none hung, none a bare stack overflow.
  expect(result.badInputs['a value nested 1,000 arrays deep']).toBe(
    'DataCloneError: Value could not be serialized: objects and arrays are nested more than 512 levels deep.',
  );
  for (const outcome of Object.values(result.badInputs)) {
    expect(outcome).toMatch(/^(DataCloneError|RangeError|TypeError|Error): \S/); // e.g. workerd's own 'string or blob too big: SQLITE_TOOBIG'
    expect(outcome).not.toContain('Maximum call stack size exceeded');
  }
});

test('each counter can fail: an object that acknowledges before writing loses calls, a caller that re-sends accepted calls applies them twice, an object that never answers hangs them', async ({ browser }) => {
  test.setTimeout(FULL ? 10 * 60_000 : 120_000);
  const faults: Record<string, Counters> = {};
  for (const fault of ['ack-before-write', 'resend'] as const) {
    const counters = emptyCounters();
    const ledger = new Ledger(counters);
    const context = await browser.newContext();
    await listen(context, ledger);
    const tabs: Parameters<typeof churnTrial>[1] = [];
    // Host-tab reloads and crashes until the counter trips (bounded).
    for (let i = 0; i < 8; i++) {
      await churnTrial(context, tabs, ledger, i, { url: URL, kinds: [i % 2 ? 'crash-host' : 'reload-host'], stream: { fault, via: 'rpc' }, ...(log ? { log } : {}) });
      if (fault === 'ack-before-write' ? counters.acknowledgedButLost > 0 : counters.appliedTwice > 0) break;
    }
    await context.close();
    faults[fault] = counters;
  }
  {
    // An object that never answers: its calls must count as hung.
    const counters = emptyCounters();
    const ledger = new Ledger(counters);
    const context = await browser.newContext();
    await listen(context, ledger);
    await churnTrial(context, [], ledger, 0, { url: URL, kinds: [], acks: 0, hangBudgetMs: 2_000, stream: { fault: 'hang', via: 'rpc', concurrency: 1 } });
    await context.close();
    faults.hang = counters;
  }
  summary.faults = Object.fromEntries(
    Object.entries(faults).map(([k, c]) => [k, { trials: c.churnTrials, acknowledgedButLost: c.acknowledgedButLost, appliedTwice: c.appliedTwice, hung: c.hung }]),
  );
  expect(faults['ack-before-write']!.acknowledgedButLost).toBeGreaterThan(0);
  expect(faults.resend!.appliedTwice).toBeGreaterThan(0);
  expect(faults.hang!.hung).toBe(3); // one call per tab, three tabs
});
