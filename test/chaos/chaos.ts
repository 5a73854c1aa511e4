/**
 * Hearth's chaos suite: an app (test/chaos-app) hammered from several tabs
 * while tabs open, close, reload and crash, the service worker is stopped,
 * the whole browser is SIGKILLed and relaunched on the same profile, and the
 * origin's storage quota runs out. The object records every execution (call
 * id, instance id) in its own storage, in the same commit as the call's
 * effect; every tab reports each call it sends, and each answer it gets, to
 * this process. From the two the suite counts:
 *  - double instances: an object whose execution log goes back to an instance
 *    after another one had run (two instances alive at once);
 *  - acknowledged but lost: calls a caller saw succeed that are not in the log;
 *  - applied twice: call ids in the log more than once;
 *  - hung: calls still unsettled in a live tab long after the churn stopped;
 *  - rejections, by error and whether they were retryable.
 * Each counter can fail: `fault` trials run a broken object (acknowledges
 * before writing) or a broken caller (re-sends refused calls) and the
 * counters must catch them.
 *
 * Used by test/e2e/chaos-applies-every-call-once-under-churn.spec.ts: a short
 * run in `npm test`, the full run with `npm run chaos`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { ChaosEvent, StreamOptions } from '../chaos-app/main.ts';
import type { Execution } from '../chaos-app/src/worker.ts';
import { Ledger } from './ledger.ts';

export { emptyCounters, Ledger, type Counters } from './ledger.ts';

export type ChurnKind = 'reload-host' | 'crash-host' | 'close-host' | 'crash-first' | 'stop-service-worker' | 'open-and-close' | 'reload-other';
export const CHURN_KINDS: ChurnKind[] = ['reload-host', 'crash-host', 'close-host', 'crash-first', 'stop-service-worker', 'reload-other', 'open-and-close'];

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Tab {
  page: Page;
  hostId: string;
}

async function openTab(context: BrowserContext, url: string): Promise<Tab> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 60_000 });
  const ready = await page.evaluate(() => document.body.dataset.ready);
  if (ready !== 'true') throw new Error(`chaos app failed to start: ${await page.locator('#status').textContent()}`);
  return { page, hostId: await page.evaluate(() => window.chaos.hostId) };
}

/** Run `fn` in the page with a deadline, so a stuck page never stalls the suite. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | 'timeout'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), ms)));
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitForAcks(ledger: Ledger, name: string, atLeast: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (ledger.ackedCount(name) < atLeast && Date.now() < deadline) await sleep(100);
}

async function readLog(tabs: Tab[], name: string): Promise<Execution[]> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 10; attempt++) {
    for (const tab of tabs) {
      try {
        const log = await within(30_000, tab.page.evaluate((n) => window.chaos.log(n), name));
        if (log !== 'timeout') return log;
        lastError = new Error('log() timed out');
      } catch (error) {
        lastError = error; // a retryable failure while the object moves: ask again
      }
    }
    await sleep(500);
  }
  throw new Error(`could not read the log of ${name}: ${(lastError as Error)?.message}`);
}

/** Put in `context.exposeBinding` once per context: every tab reports to `ledger`. */
export async function listen(context: BrowserContext, ledger: Ledger): Promise<void> {
  await context.exposeBinding('chaosReport', (_source, event: ChaosEvent) => ledger.on(event));
}

export interface ChurnOptions {
  url: string;
  kinds: ChurnKind[];
  stream?: Partial<StreamOptions>;
  /** How long stopped streams may take to settle before their calls count as hung. */
  hangBudgetMs?: number;
  /** Acknowledged calls to wait for before and after the churn. */
  acks?: number;
  log?: (line: string) => void;
}

/**
 * One churn trial on a fresh object: every tab streams calls at it, one churn
 * (two, every fifth trial) hits, streaming goes on, then everything stops and
 * the log is audited. `tabs` is kept at three or more, across trials.
 */
export async function churnTrial(context: BrowserContext, tabs: Tab[], ledger: Ledger, index: number, options: ChurnOptions): Promise<{ lost: number; twice: number; doubleInstance: boolean; hung: number }> {
  const name = `trial-${index}-${Math.random().toString(36).slice(2, 8)}`;
  const stream: StreamOptions = { concurrency: 2, via: 'mixed', ...options.stream };
  while (tabs.length < 3) tabs.push(await openTab(context, options.url));
  const startOn = async (tab: Tab) => tab.page.evaluate(([n, s]) => window.chaos.start(n, s), [name, stream] as const);
  await Promise.all(tabs.map(startOn));
  const acks = options.acks ?? 6;
  await waitForAcks(ledger, name, acks, 20_000);

  for (const kind of options.kinds) {
    ledger.counters.churn[kind] = (ledger.counters.churn[kind] ?? 0) + 1;
    const hostId = await within(20_000, tabs[0]!.page.evaluate((n) => window.chaos.hostOf(n), name)).catch(() => undefined);
    const hostIndex = Math.max(0, tabs.findIndex((t) => t.hostId === hostId));
    const replace = async (i: number, how: 'close' | 'crash') => {
      const [victim] = tabs.splice(i, 1);
      if (how === 'crash') {
        const cdp = await context.newCDPSession(victim!.page);
        void cdp.send('Page.crash').catch(() => {});
        await sleep(300);
      }
      await victim!.page.close().catch(() => {});
      const fresh = await openTab(context, options.url);
      tabs.push(fresh);
      await startOn(fresh);
    };
    const reload = async (i: number) => {
      const tab = tabs[i]!;
      await tab.page.reload();
      await tab.page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
      tab.hostId = await tab.page.evaluate(() => window.chaos.hostId);
      await startOn(tab);
    };
    options.log?.(`trial ${index}: ${kind} (host tab ${hostIndex})`);
    switch (kind) {
      case 'reload-host':
        await reload(hostIndex);
        break;
      case 'reload-other':
        await reload((hostIndex + 1) % tabs.length);
        break;
      case 'crash-host':
        await replace(hostIndex, 'crash');
        break;
      case 'close-host':
        await replace(hostIndex, 'close');
        break;
      case 'crash-first':
        // The oldest tab: the coordinator SharedWorker most likely shares its renderer.
        await replace(0, 'crash');
        break;
      case 'stop-service-worker': {
        const cdp = await context.newCDPSession(tabs[0]!.page);
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
        await cdp.detach();
        break;
      }
      case 'open-and-close': {
        const extra = await openTab(context, options.url);
        await startOn(extra);
        await sleep(500);
        await extra.page.close();
        break;
      }
    }
  }
  const before = ledger.ackedCount(name);
  await waitForAcks(ledger, name, before + acks, 20_000);
  const budget = options.hangBudgetMs ?? 20_000;

  // Stop every live tab; whatever is still unsettled `budget` later hung.
  const stuck = await Promise.all(
    tabs.map(async (tab) => {
      const left = await within(budget + 20_000, tab.page.evaluate(([n, b]) => window.chaos.stop(n, b), [name, budget] as const)).catch(() => [] as string[]);
      return left === 'timeout' ? ['<tab did not answer>'] : left;
    }),
  );
  const hung = stuck.flat().length;
  ledger.counters.hung += hung;
  const audit = ledger.audit(name, await readLog(tabs, name));
  ledger.counters.churnTrials++;
  if (audit.lost || audit.twice || audit.doubleInstance || hung) {
    ledger.counters.notes.push(`trial ${index} (${options.kinds.join('+')}): lost ${audit.lost}, twice ${audit.twice}, double instance ${audit.doubleInstance}, hung ${hung}`);
  }
  return { ...audit, hung };
}

export interface LaunchedBrowser {
  browser: Browser;
  context: BrowserContext;
  process: ChildProcess;
}

/** Chromium on a persistent profile, in its own process group so it can be killed whole. */
export async function launchOnProfile(profileDir: string): Promise<LaunchedBrowser> {
  const child = spawn(CHROMIUM, ['--headless=new', ...FLAGS, `--user-data-dir=${profileDir}`, '--remote-debugging-port=0', 'about:blank'], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${text}`)), 30_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', () => reject(new Error(`chromium exited: ${text}`)));
  });
  child.stderr!.resume();
  const browser = await chromium.connectOverCDP(wsUrl);
  return { browser, context: browser.contexts()[0]!, process: child };
}

/** SIGKILL the whole browser (every process in its group), and wait until it is gone. */
export async function killBrowser(launched: LaunchedBrowser): Promise<void> {
  const exited = new Promise<void>((r) => (launched.process.exitCode !== null ? r() : launched.process.once('exit', () => r())));
  try {
    process.kill(-launched.process.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  await exited;
  await sleep(200); // the group's other processes
}

/**
 * `kills` times: stream calls from two tabs of a browser on one persistent
 * profile for 1–3 s, SIGKILL the browser mid-stream, relaunch it on the same
 * profile and audit the object's log against what callers saw acknowledged.
 */
export async function browserKills(url: string, kills: number, ledger: Ledger, log?: (line: string) => void): Promise<void> {
  const profile = mkdtempSync(join(tmpdir(), 'hearth-chaos-profile-'));
  let launched = await launchOnProfile(profile);
  await listen(launched.context, ledger);
  const names: string[] = [];
  try {
    for (let k = 0; k < kills; k++) {
      const name = `kill-${k}-${Math.random().toString(36).slice(2, 8)}`;
      names.push(name);
      const tabs = [await openTab(launched.context, url), await openTab(launched.context, url)];
      for (const tab of tabs) await tab.page.evaluate((n) => window.chaos.start(n, { concurrency: 2, via: 'mixed' }), name);
      await waitForAcks(ledger, name, 5, 20_000);
      await sleep(500 + Math.random() * 2000);
      log?.(`kill ${k}: ${ledger.ackedCount(name)} acknowledged before SIGKILL`);
      await killBrowser(launched);
      ledger.counters.browserKills++;
      launched = await launchOnProfile(profile);
      await listen(launched.context, ledger);
      const tab = await openTab(launched.context, url);
      const audit = ledger.audit(name, await readLog([tab], name));
      if (audit.lost || audit.twice || audit.doubleInstance) {
        ledger.counters.notes.push(`kill ${k}: lost ${audit.lost}, twice ${audit.twice}, double instance ${audit.doubleInstance}`);
      }
      await tab.page.close();
    }
    // Every earlier object still holds everything acknowledged to it, after all the kills.
    const tab = await openTab(launched.context, url);
    for (const name of names) {
      const log = await readLog([tab], name);
      const present = new Set(log.map((r) => r.call_id));
      const missing = [...(ledger.acked.get(name) ?? [])].filter((id) => !present.has(id)).length;
      if (missing) ledger.counters.notes.push(`after all kills, ${name} misses ${missing} acknowledged calls`);
      ledger.counters.acknowledgedButLost += missing;
    }
  } finally {
    await killBrowser(launched);
    rmSync(profile, { recursive: true, force: true });
  }
}

export interface QuotaProbeResult {
  acknowledgedBeforeQuota: number;
  quotaError?: { name: string; message: string; retryable: boolean; durableObjectReset: boolean };
  readsAfterQuota: boolean;
  lostAfterReload: number;
  badInputs: Record<string, string>;
}

/**
 * Fill the origin's quota (made small through the DevTools protocol) with
 * padded calls until one is refused; check the refusal is the quota error,
 * reads keep working, nothing acknowledged is lost across a reload. Then send
 * values that cannot cross and check each is refused clearly, in time.
 */
export async function quotaProbe(context: BrowserContext, url: string, ledger: Ledger): Promise<QuotaProbeResult> {
  const tab = await openTab(context, url);
  const origin = new URL(url).origin;
  const name = `quota-${Math.random().toString(36).slice(2, 8)}`;
  const acked = new Set<string>();
  ledger.acked.set(name, acked);
  const result: QuotaProbeResult = { acknowledgedBeforeQuota: 0, readsAfterQuota: false, lostAfterReload: 0, badInputs: {} };
  await tab.page.evaluate((n) => window.chaos.applyPadded(n, 'warm-up', 10), name);
  acked.add('warm-up');
  const usage = await tab.page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  const cdp = await context.newCDPSession(tab.page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 512 * 1024 });
  try {
    for (let i = 0; i < 200 && !result.quotaError; i++) {
      const callId = `quota-${i}`;
      const outcome = await tab.page.evaluate(
        async ([n, id]) => {
          try {
            await window.chaos.applyPadded(n, id, 64 * 1024);
            return { ok: true as const };
          } catch (error) {
            const e = error as Error & { retryable?: boolean; durableObjectReset?: boolean };
            return { ok: false as const, name: e.name, message: e.message, retryable: e.retryable === true, durableObjectReset: e.durableObjectReset === true };
          }
        },
        [name, callId] as const,
      );
      if (outcome.ok) acked.add(callId);
      else result.quotaError = { name: outcome.name, message: outcome.message, retryable: outcome.retryable, durableObjectReset: outcome.durableObjectReset };
    }
    result.acknowledgedBeforeQuota = acked.size;
    const log = await readLog([tab], name).catch(() => undefined);
    result.readsAfterQuota = log !== undefined;
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
  await tab.page.reload();
  await tab.page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  const present = new Set((await readLog([tab], name)).map((r) => r.call_id));
  result.lostAfterReload = [...acked].filter((id) => !present.has(id)).length;
  ledger.counters.acknowledgedButLost += result.lostAfterReload;

  const bad: Record<string, string> = {
    'a value nested 1,000 arrays deep': '(() => { let v = []; for (let i = 0; i < 1000; i++) v = [v]; return v; })()',
    'a map holding a function': 'new Map([["f", () => 1]])',
    'a 3 MB string (over the 2 MB value limit)': '"x".repeat(3 * 1024 * 1024)',
  };
  for (const [label, source] of Object.entries(bad)) {
    // Refused in well under a second normally; 30 s is the budget on a loaded machine.
    const outcome = await within(
      30_000,
      tab.page.evaluate(
        async ([n, s]) => {
          try {
            return await window.chaos.keep(n, s);
          } catch (error) {
            return `${(error as Error).name}: ${(error as Error).message}`;
          }
        },
        [name, source] as const,
      ),
    );
    result.badInputs[label] = outcome === 'timeout' ? 'HUNG' : outcome;
    if (outcome === 'timeout') ledger.counters.hung++;
  }
  await tab.page.close();
  return result;
}
