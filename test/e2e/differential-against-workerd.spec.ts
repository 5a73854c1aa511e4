/**
 * Differential test: the same Durable Object classes (test/differential/classes.js)
 * and the same scripted calls (test/differential/scenarios.js) run in Hearth,
 * in this headless Chromium, and in workerd, through the `miniflare` package
 * in Node. Each scenario's JSON summary must be equal field by field, except
 * where test/differential/intended-differences.ts documents a deliberate
 * difference (prose: docs/intended-differences.md) or known-bugs.ts pins an
 * open bug; there, each documented path must hold exactly the documented
 * values on each side.
 *
 * One Miniflare and one page serve the whole file; each scenario uses objects
 * of its own, so no scenario sees another's storage. workerd comes from the
 * registry package @cloudflare/workerd-linux-64 (a miniflare dependency).
 */
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { Miniflare, type MiniflareOptions } from 'miniflare';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'jsonc-parser';
import { SCENARIOS, type ScenarioResult } from '../differential/scenarios.js';
import { INTENDED_DIFFERENCES } from '../differential/intended-differences.ts';
import { KNOWN_BUGS } from '../differential/known-bugs.ts';
import { checkExpected, differences, format, merge, type Json } from '../differential/compare.ts';
import type {} from '../differential/main.ts';

/** DIFFERENTIAL_ONLY=<regexp> runs only the scenarios whose id matches (while working on a few). */
const ONLY = process.env.DIFFERENTIAL_ONLY ? new RegExp(process.env.DIFFERENTIAL_ONLY) : undefined;
const SELECTED = ONLY ? SCENARIOS.filter((s) => ONLY.test(s.id)) : SCENARIOS;

const DIR = new URL('../differential/', import.meta.url);
const PAGE = '/test/differential/index.html';

interface Wrangler {
  name: string;
  main: string;
  compatibility_date: string;
  compatibility_flags?: string[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  migrations: { new_sqlite_classes?: string[]; new_classes?: string[] }[];
}

/** The Miniflare equivalent of the Wrangler config Hearth reads: same name (so same ids), same classes and backends. */
function miniflareOptions(config: Wrangler): MiniflareOptions {
  const sqlite = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  return {
    name: config.name,
    modules: true,
    scriptPath: fileURLToPath(new URL(config.main, DIR)),
    // classes.js imports its neighbours: load every .js as an ES module.
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }],
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    durableObjects: Object.fromEntries(
      config.durable_objects.bindings.map((b) => [b.name, { className: b.class_name, useSQLite: sqlite.has(b.class_name) }]),
    ),
  };
}

const config = parse(readFileSync(new URL('wrangler.jsonc', DIR), 'utf8')) as Wrangler;

let mf: Miniflare;
let context: BrowserContext;
let page: Page;
let hearthFeatures: Record<string, boolean>;

test.beforeAll(async ({ browser }, testInfo) => {
  mf = new Miniflare(miniflareOptions(config));
  context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  page = await context.newPage();
  page.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await Promise.all([
    mf.ready,
    (async () => {
      await page.goto(PAGE);
      await expect(page.locator('body')).toHaveAttribute('data-ready', /true|error/);
      const state = await page.locator('body').getAttribute('data-ready');
      if (state !== 'true') throw new Error(`Hearth failed to start: ${await page.locator('body').getAttribute('data-error')}`);
    })(),
  ]);
  hearthFeatures = await page.evaluate(() => window.differential.features());
});

test.afterAll(async () => {
  await context?.close();
  await mf?.dispose();
});

async function inWorkerd(id: string): Promise<ScenarioResult> {
  const response = await mf.dispatchFetch(`http://differential.test/run?id=${encodeURIComponent(id)}`);
  if (!response.ok) throw new Error(`workerd: HTTP ${response.status}: ${await response.text()}`);
  return (await response.json()) as ScenarioResult;
}

function inHearth(id: string): Promise<ScenarioResult> {
  return page.evaluate((id) => window.differential.run(id), id);
}

type Outcome = { hearth: Json; workerd: Json } | { failure: string };

/** Run one scenario on both sides at once. Never rejects: a failure to run is reported as data. */
async function runBoth(id: string): Promise<Outcome> {
  try {
    const [hearth, workerd] = await Promise.all([inHearth(id), inWorkerd(id)]);
    return { hearth: hearth as Json, workerd: workerd as Json };
  } catch (error) {
    return { failure: String((error as Error)?.stack ?? error) };
  }
}

/**
 * Scenarios run ahead of the tests that check them, a few at a time (a
 * scenario mostly waits for new object workers to start), in file order.
 * Exclusive (timing-sensitive) ones run alone. Started from the first test
 * that asks, so a worker that Playwright restarts after a failure only runs
 * what is left.
 */
const CONCURRENCY = 4;

const FEATURE_NAMES = { sql: 'ctx.storage.sql', syncKv: 'ctx.storage.kv', transaction: 'ctx.storage.transaction()' } as const;
let outcomes: Map<string, Promise<Outcome>> | undefined;

function startFrom(index: number): Map<string, Promise<Outcome>> {
  if (outcomes) return outcomes;
  const started = new Map<string, Promise<Outcome>>();
  const gates = new Map<string, (go: void) => void>();
  for (const s of SELECTED.slice(index)) {
    started.set(s.id, new Promise<void>((go) => gates.set(s.id, go)).then(() => runBoth(s.id)));
  }
  // Slow ones (they wait seconds for alarms) start at once and run beside the rest, outside the limit;
  // exclusive ones still run alone: they wait for the slow ones too.
  for (const s of SELECTED.slice(index)) if (s.slow) gates.get(s.id)!();
  const slow = SELECTED.slice(index).filter((s) => s.slow).map((s) => started.get(s.id)!);
  void (async () => {
    const inFlight = new Set<Promise<Outcome>>();
    for (const s of SELECTED.slice(index)) {
      if (s.slow) continue;
      if (s.exclusive) await Promise.all([...inFlight, ...slow]);
      while (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
      gates.get(s.id)!();
      const running = started.get(s.id)!;
      inFlight.add(running);
      void running.then(() => inFlight.delete(running));
      if (s.exclusive) await running;
    }
  })();
  outcomes = started;
  return started;
}

SELECTED.forEach((scenario, index) => {
  test(`${scenario.id} gives the same result in Hearth and in workerd`, async () => {
    // A slow scenario started with the first test; its own wait can be long (retries back off 2 s, then 4 s).
    if (scenario.slow) test.setTimeout(90_000);
    const outcome = startFrom(index).get(scenario.id)!;
    if (scenario.requires) {
      test.fixme(!hearthFeatures[scenario.requires], `pending: Hearth has no ${FEATURE_NAMES[scenario.requires]} yet`);
    }
    const result = await outcome;
    if ('failure' in result) throw new Error(`${scenario.id} did not run: ${result.failure}`);
    const { hearth, workerd } = result;
    // DIFFERENTIAL_DUMP=file.jsonl writes both summaries of every scenario, one JSON line each.
    if (process.env.DIFFERENTIAL_DUMP) appendFileSync(process.env.DIFFERENTIAL_DUMP, `${JSON.stringify({ id: scenario.id, hearth, workerd })}\n`);
    const intended = INTENDED_DIFFERENCES[scenario.id];
    const bug = KNOWN_BUGS[scenario.id];
    const expected = merge(intended, bug);
    if (expected) {
      if (intended) test.info().annotations.push({ type: 'intended difference', description: intended.reason });
      if (bug) test.info().annotations.push({ type: 'known bug', description: bug.reason });
      const problems = checkExpected(hearth, workerd, expected);
      expect(problems, `${scenario.id}: documented difference no longer holds:\n  ${problems.join('\n  ')}`).toEqual([]);
      return;
    }
    const diffs = differences(hearth, workerd);
    expect(diffs.map(format), `${scenario.id}: Hearth and workerd differ:\n  ${diffs.map(format).join('\n  ')}`).toEqual([]);
  });
});
