#!/usr/bin/env node
/**
 * `npm run bench`: start a Vite dev server, open bench/page/ in headless
 * Chromium, run the measurements in the page, print a table and write
 * bench/results/latest.json. Exits by itself.
 *
 *   node bench/run.mjs [--profile=both|ephemeral|persistent] [--reps=3] [--out=bench/results/latest.json] [--json]
 *
 * --json also prints the JSON report to stdout.
 *
 * Plain JavaScript on purpose: Node 20 cannot run .ts files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE = '/bench/page/index.html';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** The whole run must end by itself: give up after this long. */
const WATCHDOG_MS = Number(process.env.HEARTH_BENCH_TIMEOUT_MS ?? 170_000);

const PLAN = {
  warm: { n: 1000, warmup: 100 },
  cold: { n: 20 },
  spawn: { n: 20 },
  floor: { n: 1000, warmup: 100, batch: 20 },
};

function parseArgs(argv) {
  const options = { profile: 'both', reps: 3, out: path.join(ROOT, 'bench/results/latest.json'), json: false };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'profile' && ['both', 'ephemeral', 'persistent'].includes(value)) options.profile = value;
    else if (key === 'reps' && Number(value) >= 1) options.reps = Math.floor(Number(value));
    else if (key === 'out' && value) options.out = path.resolve(value);
    else if (key === 'json' && value === undefined) options.json = true;
    else {
      console.error(`unknown argument ${arg}\nusage: node bench/run.mjs [--profile=both|ephemeral|persistent] [--reps=3] [--out=FILE] [--json]`);
      process.exit(2);
    }
  }
  return options;
}

/** Which code was measured (read-only git queries; null outside a checkout). */
function gitState() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'workers').length > 0 };
  } catch {
    return null;
  }
}

/** Chromium processes already running (another test or bench run competes for the CPUs); 0 where pgrep is missing. */
function chromiumProcesses() {
  try {
    return Number(execFileSync('pgrep', ['-c', '-f', 'chromium'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return 0; // pgrep exits 1 when nothing matches
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- statistics

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (values) => percentile([...values].sort((a, b) => a - b), 50);
const round = (x, digits = 3) => Number(x.toFixed(digits));

/** One repetition's raw samples → its summary. */
function summarizeRep({ samples, perSample, totalMs }) {
  const sorted = [...samples].sort((a, b) => a - b);
  const ops = samples.length * perSample;
  return {
    p50: round(percentile(sorted, 50), 4),
    p99: round(percentile(sorted, 99), 4),
    mean: round(totalMs / ops, 4),
    perSec: Math.round(ops / (totalMs / 1000)),
    ops,
  };
}

/** Repetition summaries → median of the repetition values, with min–max spread, per statistic. */
function aggregate(reps) {
  const out = { reps };
  for (const stat of ['p50', 'p99', 'mean', 'perSec']) {
    const values = reps.map((r) => r[stat]);
    out[stat] = { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  }
  return out;
}

// -------------------------------------------------------------------- runner

async function openBench(context, baseUrl) {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[pageerror] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[console] ${message.text()} ${message.location().url ?? ''}`);
  });
  const load = async () => {
    await page.goto(baseUrl + PAGE);
    await page.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 60_000 });
    const state = await page.evaluate(() => [document.body.dataset.ready, document.body.dataset.error]);
    if (state[0] !== 'true') throw new Error(`Hearth failed to start in the bench page: ${state[1]}`);
  };
  await load();
  // Prime: spawn one object worker (and its module graph) so Vite transforms and
  // optimizes everything now, then reload so no late dependency optimization can
  // reload the page mid-measurement. None of this is timed.
  await page.evaluate(async () => {
    const stub = window.bench.runtime.env.COUNTER.getByName(`prime-${crypto.randomUUID()}`);
    await (await stub.fetch('https://bench.test/increment')).text();
  });
  await page.waitForTimeout(300);
  await load();
  return page;
}

async function measureProfile(context, baseUrl, reps, label) {
  const page = await openBench(context, baseUrl);
  const run = crypto.randomUUID().slice(0, 8);
  const info = await page.evaluate(() => window.bench.info());

  // One untimed cold start, so the first timed repetition is not the first worker spawn ever.
  await page.evaluate((prefix) => window.bench.cold('COUNTER', prefix, 1), `cold-${run}-warmup`);
  // …and count what one worker start fetches from the dev server (untimed).
  let moduleRequests = 0;
  const count = () => moduleRequests++;
  context.on('request', count);
  await page.evaluate(() => window.bench.spawn(1));
  context.off('request', count);
  info.moduleRequestsPerWorker = moduleRequests;

  const raw = { warm: [], warmNoop: [], cold: [], spawn: [], floor: [] };
  /** Run one measurement in the page; a failure names the profile, repetition and measurement. */
  const step = async (key, rep, fn, arg) => {
    try {
      raw[key].push(await page.evaluate(fn, arg));
    } catch (error) {
      throw new Error(`${label}, repetition ${rep}, ${key}: ${error.message}`, { cause: error });
    }
  };
  for (let rep = 1; rep <= reps; rep++) {
    process.stderr.write(`  ${label}: repetition ${rep}/${reps}…\n`);
    await step('warm', rep, (a) => window.bench.warm('COUNTER', a.name, a.n, a.warmup), { name: `warm-${run}`, ...PLAN.warm });
    await step('warmNoop', rep, (a) => window.bench.warm('NOOP', a.name, a.n, a.warmup), { name: `noop-${run}`, ...PLAN.warm });
    await step('cold', rep, (a) => window.bench.cold('COUNTER', a.prefix, a.n), { prefix: `cold-${run}-r${rep}`, ...PLAN.cold });
    await step('spawn', rep, (a) => window.bench.spawn(a.n), PLAN.spawn);
    await step('floor', rep, (a) => window.bench.floor(a.n, a.warmup, a.batch), PLAN.floor);
  }
  await page.evaluate(() => window.bench.runtime.close()).catch(() => {});
  await page.close();

  const results = {};
  for (const [key, list] of Object.entries(raw)) results[key] = aggregate(list.map(summarizeRep));
  return { info, results };
}

const ROWS = [
  { key: 'warm', label: 'warm fetch, Counter (get+put)', stats: ['p50', 'p99', 'perSec'] },
  { key: 'warmNoop', label: 'warm fetch, Noop (no storage)', stats: ['p50', 'p99', 'perSec'] },
  { key: 'cold', label: 'cold start, first fetch', stats: ['p50', 'p99', 'perSec'] },
  { key: 'spawn', label: '  part: worker spawn + module load', stats: ['p50', 'p99', 'perSec'] },
  { key: 'floor', label: 'floor: postMessage RTT', stats: ['p50', 'mean', 'perSec'] },
];

function fmt(x) {
  if (x >= 1000) return String(Math.round(x));
  if (x >= 100) return x.toFixed(1);
  if (x >= 10) return x.toFixed(2);
  return x.toFixed(3);
}
const cell = (agg) => `${fmt(agg.median)} (${fmt(agg.min)}–${fmt(agg.max)})`;

function table(profiles) {
  const header = ['profile', 'measurement', 'p50 ms', 'p99 ms', 'mean ms', 'ops/s'];
  const lines = [];
  for (const [profile, { results }] of Object.entries(profiles)) {
    for (const row of ROWS) {
      const r = results[row.key];
      lines.push([
        profile,
        row.label,
        cell(r.p50),
        row.stats.includes('p99') ? cell(r.p99) : '–',
        cell(r.mean),
        `${Math.round(r.perSec.median)} (${Math.round(r.perSec.min)}–${Math.round(r.perSec.max)})`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cols) => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = os.loadavg().map((x) => round(x, 2));
  const otherBrowsers = chromiumProcesses();
  if (loadBefore[0] > os.cpus().length * 0.5 || otherBrowsers > 0) {
    process.stderr.write(
      `bench: warning: the machine is busy (1-min load ${loadBefore[0]} on ${os.cpus().length} CPUs, ` +
        `${otherBrowsers} other Chromium processes); numbers will be noisy\n`,
    );
  }
  const cleanups = [];
  /** Close everything we started, once; a second caller waits for the first. */
  let cleaning;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) await Promise.resolve().then(cleanup).catch(() => {});
    })());
  const watchdog = setTimeout(() => {
    console.error(`bench: gave up after ${WATCHDOG_MS / 1000} s`);
    const exit = () => process.exit(1);
    setTimeout(exit, 10_000);
    cleanUp().then(exit, exit);
  }, WATCHDOG_MS);
  watchdog.unref();

  try {
    const port = await freePort();
    const server = await createServer({
      root: ROOT,
      configFile: path.join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      clearScreen: false,
      server: { port, strictPort: true, host: '127.0.0.1', hmr: false },
    });
    cleanups.push(() => server.close());
    await server.listen();
    const baseUrl = `http://127.0.0.1:${port}`;
    process.stderr.write(`bench: Vite at ${baseUrl}\n`);

    const profiles = {};
    let chromiumVersion;

    if (options.profile !== 'persistent') {
      // Ephemeral, incognito-like: what Playwright's browser.newContext() (and so the e2e tests) use.
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
      cleanups.push(() => browser.close());
      chromiumVersion = browser.version();
      const context = await browser.newContext();
      profiles.ephemeral = await measureProfile(context, baseUrl, options.reps, 'ephemeral');
      await context.close();
      await browser.close();
    }

    if (options.profile !== 'ephemeral') {
      // A real on-disk profile in a fresh temp directory, like a user's browser.
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-bench-profile-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: ARGS, headless: true });
      cleanups.push(() => context.close());
      chromiumVersion ??= context.browser()?.version();
      profiles.persistent = await measureProfile(context, baseUrl, options.reps, 'persistent');
      await context.close();
    }

    const anyInfo = Object.values(profiles)[0].info;
    chromiumVersion ??= /Chrome\/([\d.]+)/.exec(anyInfo.userAgent)?.[1];
    const report = {
      date: new Date().toISOString(),
      chromium: chromiumVersion,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      hardwareConcurrency: anyInfo.hardwareConcurrency,
      crossOriginIsolated: anyInfo.crossOriginIsolated,
      node: process.version,
      loadAverage: { before: loadBefore, after: os.loadavg().map((x) => round(x, 2)) },
      otherChromiumProcessesAtStart: otherBrowsers,
      platform: `${os.platform()} ${os.release()}`,
      server: 'vite dev server',
      git: gitState(),
      moduleRequestsPerWorker: anyInfo.moduleRequestsPerWorker,
      repetitions: options.reps,
      plan: PLAN,
      notes: {
        aggregation: 'each statistic: median over repetitions, with min and max over repetitions',
        percentiles: 'nearest rank; per-request samples are quantised to 0.1 ms (performance.now() is coarsened in non-isolated pages)',
        floor: `timed in batches of ${PLAN.floor.batch} round trips; p50 is the median batch mean`,
        perSec: 'operations / wall time of the timed loop (sequential, one in flight)',
      },
      durationSec: 0,
      profiles: Object.fromEntries(Object.entries(profiles).map(([k, v]) => [k, v.results])),
    };
    report.durationSec = round((Date.now() - started) / 1000, 1);

    console.log(
      `\nHearth bench: Chromium ${report.chromium}, ${report.cpus} CPUs, ${report.date}, ${report.repetitions} repetitions, ` +
        `load ${report.loadAverage.before[0]} → ${report.loadAverage.after[0]}, ` +
        `${report.moduleRequestsPerWorker} dev-server requests per worker start`,
    );
    console.log(`(each cell: median of the repetitions (min–max); warm N=${PLAN.warm.n} after ${PLAN.warm.warmup} warm-up, cold N=${PLAN.cold.n} new objects, floor N=${PLAN.floor.n})\n`);
    console.log(table(profiles));
    await mkdir(path.dirname(options.out), { recursive: true });
    await writeFile(options.out, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nwrote ${path.relative(process.cwd(), options.out)} (${report.durationSec} s)`);
    if (options.json) console.log(JSON.stringify(report, null, 2));
  } finally {
    await cleanUp();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
