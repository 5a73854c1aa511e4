#!/usr/bin/env node
/**
 * `npm run bench`: Hearth in headless Chromium side by side with the same
 * Durable Object classes under workerd (the `miniflare` package), plus the
 * floors Hearth is built on, in one run. Prints a table, writes JSON and an
 * SVG chart, and exits by itself.
 *
 *   node bench/run.mjs [--profile=persistent|ephemeral|both] [--reps=3] [--objects=1000]
 *                      [--no-peer] [--docs] [--out=FILE] [--json]
 *
 * --server   build (default): `vite build` the bench page and serve it with `vite preview`, as an app ships;
 *            dev: serve it from the Vite dev server (each worker then loads dozens of unbundled modules)
 * --docs     also write docs/bench.svg and docs/bench-results.json (what docs/performance.md shows)
 * --objects  how many distinct objects the "1,000 objects" row touches (0 skips it)
 * --no-peer  skip miniflare (no ratios)
 * --json     also print the JSON report to stdout
 * --rows     only these rows, by key (e.g. --rows=rpcNoop,floor,cold; `sweep` is the 1,000-object row,
 *            `memory` the memory row): quick before/after runs; --only is the same
 *
 * Plain JavaScript on purpose: Node 20 cannot run .ts files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, createServer, preview } from 'vite';
import { renderChart } from './chart.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, freePort } from './chromium.mjs';
import { sequential } from './page/driver.js';
import { startPeer } from './peer-miniflare.mjs';
import { rendererRssMb, settledRssMb } from './process-memory.mjs';
import { checkMemoryTarget, checkObjectsTarget, checkTarget, PLAN, ROWS } from './rows.mjs';
import { aggregate, fmt, round, summarizeRep } from './stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE = '/index.html';
const PAGE_CONFIG = path.join(fileURLToPath(new URL('.', import.meta.url)), 'page/vite.config.ts');
/** The whole run must end by itself: give up after this long. */
const WATCHDOG_MS = Number(process.env.HEARTH_BENCH_TIMEOUT_MS ?? 900_000);
const USAGE = 'usage: node bench/run.mjs [--server=build|dev] [--profile=persistent|ephemeral|both] [--reps=3] [--objects=1000] [--no-peer] [--docs] [--out=FILE] [--json] [--rows=row,row]';
/** Rows that run once per profile, not per repetition, selected by these names in --rows. */
const ONCE_ROWS = ['sweep', 'memory'];

function parseArgs(argv) {
  const options = {
    profile: 'persistent',
    server: 'build',
    reps: 3,
    objects: PLAN.objects.n,
    peer: true,
    docs: false,
    out: path.join(ROOT, 'bench/results/latest.json'),
    json: false,
    only: undefined,
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'profile' && ['both', 'ephemeral', 'persistent'].includes(value)) options.profile = value;
    else if (key === 'server' && ['build', 'dev'].includes(value)) options.server = value;
    else if (key === 'reps' && Number(value) >= 1) options.reps = Math.floor(Number(value));
    else if (key === 'objects' && Number(value) >= 0) options.objects = Math.floor(Number(value));
    else if (key === 'no-peer' && value === undefined) options.peer = false;
    else if (key === 'docs' && value === undefined) options.docs = true;
    else if (key === 'out' && value) options.out = path.resolve(value);
    else if (key === 'json' && value === undefined) options.json = true;
    else if ((key === 'only' || key === 'rows') && value) options.only = new Set(value.split(','));
    else {
      console.error(`unknown argument ${arg}\n${USAGE}`);
      process.exit(2);
    }
  }
  for (const key of options.only ?? []) {
    if (!ONCE_ROWS.includes(key) && !ROWS.some((row) => row.key === key)) {
      console.error(`unknown row ${key} (rows: ${[...ONCE_ROWS, ...ROWS.map((row) => row.key)].join(', ')})`);
      process.exit(2);
    }
  }
  // A selection without `sweep` skips the 1,000-object row, as one without a row skips that row.
  if (options.only && !options.only.has('sweep')) options.objects = 0;
  return options;
}

/** Which code was measured (read-only git queries; null outside a checkout). */
function gitState() {
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'workers', 'bench').length > 0 };
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

const log = (line) => process.stderr.write(`${line}\n`);

// --------------------------------------------------------------- the Hearth side

async function openBench(context, baseUrl, query = '') {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[pageerror] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') console.error(`[console] ${message.text()} ${message.location().url ?? ''}`);
  });
  const load = async () => {
    await page.goto(baseUrl + PAGE + query);
    await page.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 60_000 });
    const state = await page.evaluate(() => [document.body.dataset.ready, document.body.dataset.error]);
    if (state[0] !== 'true') throw new Error(`Hearth failed to start in the bench page: ${state[1]}`);
  };
  await load();
  // Prime: start one object worker (and its module graph) so Vite transforms and
  // optimizes everything now, then reload so no late dependency optimization can
  // reload the page mid-measurement. None of this is timed.
  await page.evaluate(async () => {
    await window.bench.op('cold', { prefix: `prime-${crypto.randomUUID()}`, n: 1 });
    await window.bench.sqliteFloor(10, 10);
  });
  await page.waitForTimeout(300);
  await load();
  return page;
}

/**
 * The 1,000-objects row: touch them in turn, in chunks so Node can read the
 * renderer's memory between chunks, then read every one back.
 *
 * Memory per live object = growth of the renderer processes' RSS from before
 * the row to the chunk boundary with the most live objects, divided by the
 * objects added in between. It runs first in a fresh page, because a
 * renderer does not hand freed memory back at once: after other rows' workers
 * have come and gone, new workers reuse that memory and the growth reads low.
 */
async function measureObjects(page, run, n) {
  const prefix = `many-${run}`;
  const chunk = PLAN.objects.chunk;
  // What the module graph alone costs: workers that loaded it, with no SQLite and no database.
  const bare = 10;
  const rssBare = rendererRssMb();
  await page.evaluate((n) => window.bench.holdSpawned(n), bare);
  const mbPerModuleOnlyWorker = rssBare === null ? null : round((rendererRssMb() - rssBare) / bare, 2);
  // (They stay alive until the row ends: freed memory would be reused by the objects and hide their growth.)

  await page.evaluate(() => window.bench.resetPeak());
  const before = { ...(await page.evaluate(() => window.bench.workers())), rssMb: rendererRssMb() };
  const samples = [];
  let totalMs = 0;
  let most = before;
  for (let from = 0; from < n; from += chunk) {
    const r = await page.evaluate((p) => window.bench.op('touch', p), { prefix, from, n: Math.min(chunk, n - from) });
    samples.push(...r.samples);
    totalMs += r.totalMs;
    const now = { ...(await page.evaluate(() => window.bench.workers())), rssMb: rendererRssMb() };
    if (now.objects >= most.objects) most = now;
    log(`    ${from + r.samples.length}/${n} objects, ${now.objects} live, ${Math.round(r.totalMs / r.samples.length)} ms each`);
  }
  const peaks = await page.evaluate(() => window.bench.workers());
  await page.evaluate(() => window.bench.releaseSpawned());
  const verify = await page.evaluate((p) => window.bench.op('verify', p), { prefix, n, inFlight: 2 });
  const added = most.objects - before.objects;
  return {
    n,
    touch: summarizeRep({ samples, perSample: 1, totalMs }),
    totalSec: round(totalMs / 1000, 2),
    verifySec: round(verify.totalMs / 1000, 2),
    lost: verify.check,
    peakLiveObjects: peaks.peakObjects,
    peakLiveWorkers: peaks.peak,
    objectsAtMeasure: { before: before.objects, after: most.objects },
    rendererRssMb: { before: round(before.rssMb ?? 0, 1), after: round(most.rssMb ?? 0, 1) },
    mbPerLiveObject: before.rssMb === null || added <= 0 ? null : round((most.rssMb - before.rssMb) / added, 2),
    mbPerModuleOnlyWorker,
  };
}


/**
 * The memory row: what a live object costs with nothing evicted (fewer objects than the bound), and its
 * parts, each as the renderers' RSS growth divided by how many were added:
 *   moduleOnly  a worker that loaded the object worker's bundle and the app (bench/page/spawn.worker.ts)
 *   spare       a spare: the bundle, SQLite instantiated, the app evaluated (no lock, no pool, no database)
 *   object      a live object: a spare that took its lock, installed its pool, opened its database, ran a call
 * In a fresh page of its own, before any other row, for the reason given at `measureObjects`.
 */
async function measureMemory(page, run) {
  const { objects: n, parts } = PLAN.memory;
  const workers = () => page.evaluate(() => window.bench.workers());
  const r0 = await settledRssMb(page);
  await page.evaluate((k) => window.bench.holdSpawned(k), parts);
  const r1 = await settledRssMb(page);
  // The first object brings the first spare: count from after it.
  await page.evaluate((p) => window.bench.op('touch', p), { prefix: `mem-${run}`, from: 0, n: 1 });
  const a = { ...(await workers()), rssMb: await settledRssMb(page) };
  await page.evaluate((p) => window.bench.op('touch', p), { prefix: `mem-${run}`, from: 1, n });
  const b = { ...(await workers()), rssMb: await settledRssMb(page) };
  await page.evaluate((k) => window.bench.setSpares(k + 1), parts);
  // More spares come with the next placement's refill: one more object asks for them.
  await page.evaluate((p) => window.bench.op('touch', p), { prefix: `mem-${run}`, from: n + 1, n: 1 });
  const c = { ...(await workers()), rssMb: await settledRssMb(page) };
  await page.evaluate(() => window.bench.setSpares(1));
  await page.evaluate(() => window.bench.releaseSpawned());
  const per = (from, to, count) => (from === null || count <= 0 ? null : round((to - from) / count, 2));
  const addedObjects = b.objects - a.objects;
  // Between b and c: one more object, and the spares up to `parts + 1`.
  const addedSpares = c.live - c.objects - (b.live - b.objects);
  return {
    objects: { before: a.objects, after: b.objects, live: b.live },
    rendererRssMb: { start: round(r0 ?? 0, 1), moduleOnly: round(r1 ?? 0, 1), firstObject: round(a.rssMb ?? 0, 1), objects: round(b.rssMb ?? 0, 1), spares: round(c.rssMb ?? 0, 1) },
    mbPerModuleOnlyWorker: per(r0, r1, parts),
    mbPerLiveObject: per(a.rssMb, b.rssMb, addedObjects),
    mbPerSpare: per(b.rssMb === null ? null : b.rssMb + (addedObjects > 0 ? (b.rssMb - a.rssMb) / addedObjects : 0), c.rssMb, addedSpares),
    addedSpares,
  };
}

/**
 * One Hearth profile and the peer, interleaved: for each repetition, each row
 * runs in the page and then in workerd, so a change in the machine's load
 * (other agents share these 2 CPUs) hits both sides of a ratio alike.
 */
async function measureProfile(context, baseUrl, options, label) {
  const page = await openBench(context, baseUrl);
  const run = crypto.randomUUID().slice(0, 8);
  const info = await page.evaluate(() => window.bench.info());
  const hearthOp = (name, params) => page.evaluate(([n, p]) => window.bench.op(n, p), [name, params]);

  // One untimed cold start, so the first timed repetition is not the first worker start ever.
  await hearthOp('cold', { prefix: `cold-${run}-warmup`, n: 1 });
  // …and count what one worker start fetches from the server (untimed).
  let moduleRequests = 0;
  const count = () => moduleRequests++;
  context.on('request', count);
  await page.evaluate(() => window.bench.spawn(1));
  context.off('request', count);
  info.moduleRequestsPerWorker = moduleRequests;

  const wants = (key) => options.only === undefined || options.only.has(key);
  // Rows that run once per repetition (all but sweep and memory): without any, no repetitions, no extra pages.
  const anyRepRow = options.only === undefined || [...options.only].some((key) => !ONCE_ROWS.includes(key));

  let memory;
  if (wants('memory')) {
    log(`  ${label}: memory per live object (once, first, own page)…`);
    const own = await openBench(context, baseUrl, '?idleTimeoutMs=120000');
    memory = await measureMemory(own, run);
    await own.evaluate(() => window.bench.runtime.close()).catch(() => {});
    await own.close();
  }

  let objects;
  if (options.objects > 0) {
    // In a page of its own, before any other row, and with idle eviction at
    // 2 minutes instead of 10 s: on a slow machine 10 s of idleness would
    // evict objects before 64 are live, and the LRU bound would go untested.
    log(`  ${label}: ${options.objects} objects in turn (once, first, own page)…`);
    const own = await openBench(context, baseUrl, '?idleTimeoutMs=120000');
    objects = await measureObjects(own, run, options.objects);
    await own.evaluate(() => window.bench.runtime.close()).catch(() => {});
    await own.close();
  }

  const peer = options.peer && (anyRepRow || options.objects > 0) ? await startPeer(await freePort()) : undefined;
  // The alternative without Hearth (wrangler dev): this browser calling the same Worker over localhost HTTP.
  // A page on miniflare's own origin, so its fetch() needs no CORS.
  let httpPage;
  if (peer && anyRepRow && wants('pageHttp')) {
    httpPage = await context.newPage();
    // The bench's one timed loop, in that page too (it cannot import from this origin).
    await httpPage.addInitScript({ content: `window.sequential = ${sequential.toString()};` });
    await httpPage.goto(`${peer.url}edge/increment?name=http-${run}-page`);
  }
  try {
    let peerObjects;
    if (peer && options.objects > 0) {
      log(`  miniflare: ${options.objects} objects in turn (once)…`);
      peerObjects = await measurePeerObjects(peer, run, options.objects);
    }
    if (peer && anyRepRow) await peer.op('cold', { prefix: `cold-${run}-warmup`, n: 1 });

    const raw = { hearth: {}, peer: {} };
    /** Run one row on both sides; a failure names the side, profile, repetition and row. */
    const skip = (key) => options.only !== undefined && !options.only.has(key);
    const both = async (key, rep, params, check) => {
      if (skip(key)) return;
      for (const side of peer ? ['hearth', 'peer'] : ['hearth']) {
        try {
          const r = side === 'hearth' ? await hearthOp(key, params) : await peer.op(key, params);
          check?.(r);
          (raw[side][key] ??= []).push(r);
        } catch (error) {
          throw new Error(`${side} (${label}), repetition ${rep}, ${key}: ${error.message}`, { cause: error });
        }
      }
    };
    const hearthOnly = async (key, rep, fn) => {
      if (skip(key)) return;
      try {
        (raw.hearth[key] ??= []).push(await fn());
      } catch (error) {
        throw new Error(`hearth (${label}), repetition ${rep}, ${key}: ${error.message}`, { cause: error });
      }
    };
    // The wake row needs hibernation within a second: a page of its own with a 1 s idle timeout.
    const wakePage = anyRepRow && wants('wsWake') ? await openBench(context, baseUrl, '?idleTimeoutMs=1000') : undefined;
    // The durable-writes row again with synchronous=FULL: a page of its own, whose objects are placed on it.
    const fullPage = anyRepRow && wants('durableFull') ? await openBench(context, baseUrl, '?durability=full') : undefined;
    for (let rep = 1; anyRepRow && rep <= options.reps; rep++) {
      log(`  ${label}: repetition ${rep}/${options.reps}…`);
      await both('rpcSeq', rep, { name: `rpc-${run}`, ...PLAN.rpcSeq });
      await both('rpcPar', rep, { name: `rpcpar-${run}`, ...PLAN.rpcPar });
      await both('rpcNoop', rep, { name: `noop-${run}`, ...PLAN.rpcNoop });
      await both('fetchWarm', rep, { name: `fetch-${run}`, ...PLAN.fetchWarm });
      if (httpPage && !skip('pageHttp')) {
        try {
          (raw.hearth.pageHttp ??= []).push(await hearthOp('fetchWarm', { name: `http-${run}`, ...PLAN.pageHttp }));
          (raw.peer.pageHttp ??= []).push(await httpPage.evaluate(pageHttpLoop, { name: `http-${run}`, ...PLAN.pageHttp }));
        } catch (error) {
          throw new Error(`pageHttp (${label}), repetition ${rep}: ${error.message}`, { cause: error });
        }
      }
      await both('edgeFetch', rep, { name: `edge-${run}`, ...PLAN.edgeFetch });
      await both('burst', rep, { name: `burst-${run}-r${rep}`, prefix: 'b', ...PLAN.burst });
      await both('durable', rep, { name: `durable-${run}-r${rep}`, ...PLAN.durable });
      await hearthOnly('durableFull', rep, () =>
        fullPage.evaluate(([n, p]) => window.bench.op(n, p), ['durable', { name: `durable-full-${run}-r${rep}`, ...PLAN.durable }]),
      );
      await both('sqlBulk', rep, { name: `sql-${run}-r${rep}`, ...PLAN.sqlBulk }, (r) => {
        if (r.check !== PLAN.sqlBulk.n) throw new Error(`counted ${r.check} rows`);
      });
      await both('alarmLateness', rep, { prefix: `alarm-${run}-r${rep}`, ...PLAN.alarmLateness });
      await both('cold', rep, { prefix: `cold-${run}-r${rep}`, ...PLAN.cold });
      await both('coldBackToBack', rep, { prefix: `cold-${run}-b2b-r${rep}`, ...PLAN.coldBackToBack });
      await hearthOnly('coldNoSpare', rep, async () => {
        await page.evaluate(() => window.bench.setSpares(0));
        try {
          return await hearthOp('cold', { prefix: `cold-${run}-nospare-r${rep}`, ...PLAN.coldNoSpare });
        } finally {
          await page.evaluate(() => window.bench.setSpares(1));
        }
      });
      await hearthOnly('spawn', rep, () => page.evaluate((n) => window.bench.spawn(n), PLAN.spawn.n));
      await hearthOnly('floor', rep, () => page.evaluate((p) => window.bench.floor(p.n, p.warmup, p.batch), PLAN.floor));
      await hearthOnly('swFloor', rep, () => page.evaluate((p) => window.bench.swFloor(p.n, p.warmup), PLAN.swFloor));
      await both('wsRtt', rep, { name: `ws-${run}-r${rep}`, ...PLAN.wsRtt });
      await both('wsFanout', rep, { name: `fanout-${run}-r${rep}`, ...PLAN.wsFanout });
      await hearthOnly('wsWake', rep, () => wakePage.evaluate(([name, n]) => window.bench.wake(name, n), [`wake-${run}-r${rep}`, PLAN.wsWake.n]));
      if (!skip('sqliteInsert') || !skip('sqliteCommit')) {
        const sqlite = await page.evaluate((p) => window.bench.sqliteFloor(p.inserts, p.commits), PLAN.sqliteFloor);
        (raw.hearth.sqliteInsert ??= []).push({ samples: [sqlite.insertMs], perSample: PLAN.sqliteFloor.inserts, totalMs: sqlite.insertMs });
        (raw.hearth.sqliteCommit ??= []).push({ samples: [sqlite.commitMs / PLAN.sqliteFloor.commits], perSample: PLAN.sqliteFloor.commits, totalMs: sqlite.commitMs });
      }
    }
    await page.evaluate(() => window.bench.runtime.close()).catch(() => {});
    await page.close();
    await wakePage?.evaluate(() => window.bench.runtime.close()).catch(() => {});
    await wakePage?.close();
    await httpPage?.close();
    await fullPage?.evaluate(() => window.bench.runtime.close()).catch(() => {});
    await fullPage?.close();

    const summarize = (bySide) => Object.fromEntries(Object.entries(bySide).map(([key, list]) => [key, aggregate(list.map(summarizeRep))]));
    const results = summarize(raw.hearth);
    const peerResults = peer ? { results: summarize(raw.peer), objects: peerObjects } : undefined;
    return { info, results, objects, memory, peer: peerResults };
  } finally {
    await peer?.close();
  }
}

/**
 * Runs in a page on miniflare's origin: the page's fetch() of the Worker's increment route (the Worker calls
 * Counter.fetch: get + put), one at a time — how an app without Hearth would reach the same object from a page.
 */
async function pageHttpLoop({ name, n, warmup }) {
  const call = async () => {
    const response = await fetch(`/edge/increment?name=${encodeURIComponent(name)}`);
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  };
  return window.sequential(() => performance.now(), n, warmup, call);
}

/** The peer's 1,000-object row: workerd RSS growth over all objects touched (it bounds nothing, so all stay live). */
async function measurePeerObjects(peer, run, n) {
  const before = peer.rssMb();
  const touch = await peer.op('touch', { prefix: `many-${run}`, n });
  const after = peer.rssMb();
  const verify = await peer.op('verify', { prefix: `many-${run}`, n, inFlight: 8 });
  return {
    n,
    touch: summarizeRep(touch),
    totalSec: round(touch.totalMs / 1000, 2),
    verifySec: round(verify.totalMs / 1000, 2),
    lost: verify.check,
    peakLiveObjects: null, // workerd keeps every object in its one process and bounds nothing here
    peakLiveWorkers: null,
    workerdRssMb: { before: round(before ?? 0, 1), after: round(after ?? 0, 1) },
    mbPerLiveObject: before === null ? null : round((after - before) / n, 3),
  };
}

// -------------------------------------------------------------------- output

const cell = (agg) => (agg ? `${fmt(agg.median)} (${fmt(agg.min)}–${fmt(agg.max)})` : '–');
const rate = (agg) => (agg ? `${Math.round(agg.median)} (${Math.round(agg.min)}–${Math.round(agg.max)})` : '–');

function tableRows(profile, hearth, peer) {
  const lines = [];
  for (const row of ROWS) {
    if (row.skip) {
      lines.push([profile, row.label, 'skipped', '', '', '', '', '', '', `(${row.skip})`]);
      continue;
    }
    const h = hearth.results[row.key];
    if (!h) continue;
    const m = row.peer === false ? undefined : peer?.results[row.key];
    const ratio = hearth.ratios[row.key];
    const target = checkTarget(row, h, ratio, hearth.results);
    lines.push([
      profile,
      row.label,
      cell(h.p50),
      cell(h.p99),
      row.lateness ? `${h.reps[0]?.ops ?? ''} ${row.unit}` : `${rate(h.perSec)} ${row.unit}`,
      m ? fmt(m.p50.median) : '',
      m ? fmt(m.p99.median) : '',
      m && !row.lateness ? rate(m.perSec) : '',
      ratio === undefined ? '' : `${fmt(ratio)}×`,
      target ? `${target.met ? 'MET' : 'not met'}: ${target.text}` : '',
    ]);
  }
  const objects = hearth.objects;
  if (objects) {
    const target = checkObjectsTarget(objects);
    const mo = peer?.objects;
    lines.push([
      profile,
      `${objects.n} objects in turn: total, peak live, MB per live object`,
      `${objects.totalSec} s`,
      `peak ${objects.peakLiveObjects} obj / ${objects.peakLiveWorkers} wk`,
      `${objects.mbPerLiveObject ?? '–'} MB (modules alone ${objects.mbPerModuleOnlyWorker ?? '–'}), lost ${objects.lost}`,
      mo ? `${mo.totalSec} s` : '',
      '',
      mo ? `${mo.mbPerLiveObject ?? '–'} MB, lost ${mo.lost}` : '',
      mo ? `${fmt(mo.totalSec / objects.totalSec)}×` : '',
      target ? `${target.met ? 'MET' : 'not met'}: ${target.text}` : '',
    ]);
  }
  const memory = hearth.memory;
  if (memory) {
    const target = checkMemoryTarget(memory);
    lines.push([
      profile,
      `memory: ${memory.objects.after - memory.objects.before} live objects, none evicted; MB each`,
      `${memory.mbPerLiveObject ?? '–'} MB`,
      `spare ${memory.mbPerSpare ?? '–'} MB`,
      `bundle only ${memory.mbPerModuleOnlyWorker ?? '–'} MB`,
      '',
      '',
      '',
      '',
      target ? `${target.met ? 'MET' : 'not met'}: ${target.text}` : '',
    ]);
  }
  return lines;
}

function table(report) {
  const header = ['profile', 'measurement', 'Hearth p50 ms', 'Hearth p99 ms', 'Hearth per s', 'mf p50', 'mf p99', 'miniflare per s', 'H÷mf', 'target'];
  const lines = [];
  for (const [profile, hearth] of Object.entries(report.profiles)) lines.push(...tableRows(profile, hearth, hearth.peer));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const render = (cols) => cols.map((c, i) => (i < 2 || i === 9 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [render(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

/** The same table as Markdown, for docs/performance.md (`|` in cells escaped). */
function markdownTable(report) {
  const header = ['profile', 'measurement', 'Hearth p50 ms', 'Hearth p99 ms', 'Hearth per s', 'miniflare p50 ms', 'miniflare p99 ms', 'miniflare per s', 'Hearth ÷ miniflare', 'target'];
  const lines = [];
  for (const [profile, hearth] of Object.entries(report.profiles)) lines.push(...tableRows(profile, hearth, hearth.peer));
  const row = (cols) => `| ${cols.map((c) => c.trim().replace(/\|/g, '\\|')).join(' | ')} |`;
  return [row(header), `|${header.map((_, i) => (i < 2 || i === 9 ? '---' : '--:')).join('|')}|`, ...lines.map(row)].join('\n') + '\n';
}

function ratiosFor(results, peer) {
  const ratios = {};
  if (!peer) return ratios;
  for (const row of ROWS) {
    if (row.peer === false || row.skip || row.lateness) continue;
    const h = results[row.key];
    const m = peer.results[row.key];
    if (h && m) ratios[row.key] = round(h.perSec.median / m.perSec.median, 3);
  }
  return ratios;
}

// ---------------------------------------------------------------------- main

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = os.loadavg().map((x) => round(x, 2));
  const otherBrowsers = chromiumProcesses();
  if (loadBefore[0] > os.cpus().length * 0.5 || otherBrowsers > 0) {
    log(
      `bench: warning: the machine is busy (1-min load ${loadBefore[0]} on ${os.cpus().length} CPUs, ` +
        `${otherBrowsers} other Chromium processes); numbers will be noisy`,
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
    const profiles = {};
    let chromiumVersion;
    const loads = { start: loadBefore };

    const port = await freePort();
    let server;
    if (options.server === 'build') {
      const outDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-bench-build-'));
      cleanups.push(() => rm(outDir, { recursive: true, force: true }));
      await build({ configFile: PAGE_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
      server = await preview({
        configFile: PAGE_CONFIG,
        logLevel: 'warn',
        build: { outDir },
        preview: { port, strictPort: true, host: '127.0.0.1' },
      });
      cleanups.push(() => server.close());
    } else {
      server = await createServer({
        configFile: PAGE_CONFIG,
        logLevel: 'warn',
        clearScreen: false,
        server: { port, strictPort: true, host: '127.0.0.1', hmr: false },
      });
      cleanups.push(() => server.close());
      await server.listen();
    }
    const baseUrl = `http://127.0.0.1:${port}`;
    log(`bench: ${options.server === 'build' ? 'a production build, served by vite preview' : 'the Vite dev server'} at ${baseUrl}`);

    if (options.profile !== 'ephemeral') {
      // A real on-disk profile in a fresh temp directory, like a user's browser.
      const dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-bench-profile-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
      cleanups.push(() => context.close());
      chromiumVersion ??= context.browser()?.version();
      profiles.persistent = await measureProfile(context, baseUrl, options, 'persistent');
      await context.close();
    }

    if (options.profile !== 'persistent') {
      // Ephemeral, incognito-like: what Playwright's browser.newContext() (and so the e2e tests) use.
      const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
      cleanups.push(() => browser.close());
      chromiumVersion ??= browser.version();
      const context = await browser.newContext();
      profiles.ephemeral = await measureProfile(context, baseUrl, options, 'ephemeral');
      await context.close();
      await browser.close();
    }
    loads.end = os.loadavg().map((x) => round(x, 2));

    const anyInfo = Object.values(profiles)[0].info;
    chromiumVersion ??= /Chrome\/([\d.]+)/.exec(anyInfo.userAgent)?.[1];
    let miniflareVersion;
    try {
      miniflareVersion = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("miniflare/package.json").version)'], { cwd: ROOT, encoding: 'utf8' }));
    } catch {
      miniflareVersion = null;
    }
    const report = {
      date: new Date().toISOString(),
      chromium: chromiumVersion,
      miniflare: options.peer ? { version: miniflareVersion, persisted: 'fresh temporary directory', caller: 'a Worker inside workerd running driver.js' } : null,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      hardwareConcurrency: anyInfo.hardwareConcurrency,
      crossOriginIsolated: anyInfo.crossOriginIsolated,
      node: process.version,
      loadAverage: { before: loadBefore, after: loads.end },
      otherChromiumProcessesAtStart: otherBrowsers,
      platform: `${os.platform()} ${os.release()}`,
      server: options.server === 'build' ? 'production build (vite build + vite preview)' : 'vite dev server',
      git: gitState(),
      moduleRequestsPerWorker: anyInfo.moduleRequestsPerWorker,
      repetitions: options.reps,
      plan: PLAN,
      notes: {
        aggregation: 'each statistic: median over repetitions, with min and max over repetitions',
        percentiles: 'nearest rank; Hearth samples are quantised to 0.1 ms (performance.now() is coarsened in non-isolated pages); workerd samples to 1 ms',
        ratio: 'Hearth ops/s ÷ miniflare ops/s, medians over repetitions',
        floor: `timed in batches of ${PLAN.floor.batch} round trips; p50 is the median batch mean`,
        perSec: 'operations / wall time of the timed loop',
        memory: 'VmRSS of our Chromium renderer processes from /proc, difference over the added live object workers; workerd: VmRSS difference over all objects touched',
      },
      durationSec: 0,
      profiles: Object.fromEntries(
        Object.entries(profiles).map(([k, v]) => [k, { results: v.results, objects: v.objects, memory: v.memory ?? null, peer: v.peer ?? null, ratios: ratiosFor(v.results, v.peer) }]),
      ),
    };
    report.durationSec = round((Date.now() - started) / 1000, 1);

    console.log(
      `\nHearth bench: Chromium ${report.chromium}, miniflare ${miniflareVersion ?? '–'}, ${report.cpus} CPUs, ${report.date}, ` +
        `${report.repetitions} repetitions, load ${loadBefore[0]} → ${loads.end[0]}, ` +
        `${report.server}, ${report.moduleRequestsPerWorker} requests per worker start`,
    );
    console.log('(Hearth cells: median of the repetitions (min–max); miniflare: median; H÷mf = Hearth per s ÷ miniflare per s)\n');
    console.log(table(report));
    await mkdir(path.dirname(options.out), { recursive: true });
    await writeFile(options.out, JSON.stringify(report, null, 2) + '\n');
    const chart = renderChart(report);
    await writeFile(path.join(path.dirname(options.out), 'bench-table.md'), markdownTable(report));
    const chartOut = path.join(path.dirname(options.out), 'bench.svg');
    await writeFile(chartOut, chart);
    console.log(`\nwrote ${path.relative(process.cwd(), options.out)} and ${path.relative(process.cwd(), chartOut)} (${report.durationSec} s)`);
    if (options.docs) {
      await writeFile(path.join(ROOT, 'docs/bench.svg'), chart);
      await writeFile(path.join(ROOT, 'docs/bench-results.json'), JSON.stringify(report, null, 2) + '\n');
      console.log('wrote docs/bench.svg and docs/bench-results.json');
    }
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
