#!/usr/bin/env node
/**
 * `npm run bench:profile`: where the time of a cold start and of a warm call
 * goes, for docs/performance.md ("Profile").
 *
 *   node bench/profile.mjs [--cold=15] [--calls=2000] [--rounds=5] [--sweep=0 --max=8] [--pools=0] [--pitr=0] [--edge=0] [--memory=0] [--json]
 *
 * --sweep=N  also N new objects back to back in a page whose live-object bound is --max (default 8), as the
 *            1,000-object row does past its bound of 64: every start past the bound needs an eviction.
 * --pools=N  also N rounds of the storage floor of a cold start (bench/page/pool-floor.worker.ts): one OPFS
 *            round trip, a new pool + database, and the same pool installed ahead.
 * --pitr=N   also N rounds of what point-in-time recovery's capture costs one commit
 *            (bench/page/pitr-floor.worker.ts): raw sqlite-wasm, with and without a session and the history write.
 * --memory=N also where a spare's memory goes: for each stage of its start (bench/page/memory-stage.worker.ts),
 *            the renderer's resident memory growth over N workers held at that stage, per worker. Runs first,
 *            in a page of its own (a renderer reuses memory freed by workers that ended).
 * --edge=N   also N interleaved rounds of the edge's parts: a bare service worker's fetch, the edge with the
 *            Worker answering by itself, the edge calling an object, and the page's own stub.fetch to it.
 *
 * Cold starts: the host and the object worker report when each start-up step
 * ended (bench-only marks: `setStartTimings` in src/host/object-host.ts; off,
 * they cost nothing), the page adds its own request and answer. Warm calls:
 * a bare echo worker with one and with two messages back per round trip and
 * with Hearth's call envelope, interleaved with Hearth's no-storage call.
 * The same production build and persistent profile as `npm run bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';
import { median } from './stats.mjs';
import { settledRssMb } from './process-memory.mjs';

const PAGE_CONFIG = fileURLToPath(new URL('./page/vite.config.ts', import.meta.url));
const options = { cold: 15, calls: 2000, rounds: 5, sweep: 0, max: 8, pools: 0, pitr: 0, edge: 0, memory: 0, json: false };
for (const arg of process.argv.slice(2)) {
  const [key, value] = arg.replace(/^--/, '').split('=');
  if (key === 'json') options.json = true;
  else if (key in options && Number(value) >= 0) options[key] = Number(value);
  else throw new Error(`unknown argument ${arg}`);
}

const r2 = (x) => Math.round(x * 100) / 100;

/** Median duration of each step over the starts (steps absent from a start count as absent, not 0). */
function summarizeCold(starts) {
  const order = [];
  const by = new Map();
  for (const start of starts) {
    for (const [step, ms] of start.steps) {
      if (!by.has(step)) {
        by.set(step, []);
        order.push(step);
      }
      by.get(step).push(ms);
    }
  }
  return {
    n: starts.length,
    spare: starts.filter((s) => s.spare).length,
    totalMs: r2(median(starts.map((s) => s.total))),
    steps: order.map((step) => [step, r2(median(by.get(step))), by.get(step).length]),
  };
}


/** MB per worker at each stage, each stage in a fresh page: RSS growth over `n` held workers ÷ n. */
async function memoryStages(context, baseUrl, n) {
  const out = {};
  for (const stage of ['empty', 'wasmOnly', 'glue', 'instance', 'smallHeap', 'database']) {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/index.html`);
    await page.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 60_000 });
    const before = await settledRssMb(page);
    await page.evaluate(([s, k]) => window.bench.holdStage(s, k), [stage, n]);
    out[stage] = before === null ? null : r2(((await settledRssMb(page)) - before) / n);
    await page.close();
  }
  return out;
}

const outDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-profile-build-'));
const profileDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-profile-chromium-'));
let server;
let context;
try {
  await build({ configFile: PAGE_CONFIG, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await preview({ configFile: PAGE_CONFIG, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
  const baseUrl = server.resolvedUrls.local[0].replace(/\/$/, '');
  context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  const report = { date: new Date().toISOString(), loadBefore: os.loadavg()[0] };
  if (options.memory > 0) report.memory = await memoryStages(context, baseUrl, options.memory);
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[pageerror] ${error.message}`));
  await page.goto(`${baseUrl}/index.html`);
  await page.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 60_000 });
  const run = crypto.randomUUID().slice(0, 8);
  // Untimed: the first start ever, and the first spare.
  await page.evaluate((p) => window.bench.coldProfile(p, 2, 300), `warm-${run}`);
  if (options.cold > 0) {
    const spaced = await page.evaluate(([p, n]) => window.bench.coldProfile(p, n, 250), [`spaced-${run}`, options.cold]);
    const b2b = await page.evaluate(([p, n]) => window.bench.coldProfile(p, n, 0), [`b2b-${run}`, options.cold]);
    await page.evaluate(() => window.bench.setSpares(0));
    const noSpare = await page.evaluate(([p, n]) => window.bench.coldProfile(p, n, 250), [`nospare-${run}`, options.cold]);
    await page.evaluate(() => window.bench.setSpares(1));
    // The same spaced starts with spares that make no pool ahead (step 22's A/B).
    await page.evaluate(() => window.bench.setStagedPools(false));
    await page.evaluate((p) => window.bench.coldProfile(p, 2, 300), `unstaged-warm-${run}`); // spares made before the switch are used up
    const unstaged = await page.evaluate(([p, n]) => window.bench.coldProfile(p, n, 250), [`unstaged-${run}`, options.cold]);
    await page.evaluate(() => window.bench.setStagedPools(true));
    report.cold = { spaced: summarizeCold(spaced), backToBack: summarizeCold(b2b), noSpare: summarizeCold(noSpare), spacedNoPoolAhead: summarizeCold(unstaged) };
  }
  if (options.sweep > 0) {
    const own = await context.newPage();
    await own.goto(`${baseUrl}/index.html?idleTimeoutMs=120000&maxLive=${options.max}`);
    await own.waitForFunction(() => document.body?.dataset.ready, null, { timeout: 60_000 });
    const starts = await own.evaluate(([p, n]) => window.bench.coldProfile(p, n, 0), [`sweep-${run}`, options.max + options.sweep]);
    report.sweep = summarizeCold(starts.slice(options.max)); // only the starts past the bound
    await own.close();
  }
  if (options.pools > 0) {
    const pools = await page.evaluate((n) => window.bench.poolFloor(n), options.pools);
    report.pools = Object.fromEntries(Object.entries(pools).map(([k, v]) => [k, { medianMs: r2(median(v)), rounds: v.map(r2) }]));
  }
  if (options.pitr > 0) {
    const pitr = await page.evaluate((n) => window.bench.pitrFloor(n, 2000), options.pitr);
    const plain = pitr.plain;
    report.pitr = Object.fromEntries(
      Object.entries(pitr).map(([k, v]) => [k, { usPerCommit: r2(median(v)), overPlain: r2(median(v.map((x, i) => x / plain[i]))), rounds: v.map(r2) }]),
    );
  }
  if (options.edge > 0) {
    const edge = await page.evaluate(([name, n, rounds]) => window.bench.edgeProfile(name, n, rounds), [`edge-${run}`, 500, options.edge]);
    report.edge = Object.fromEntries(Object.entries(edge).map(([k, v]) => [k, { perSec: Math.round(median(v)), msPerCall: r2(1000 / median(v)), rounds: v.map(Math.round) }]));
    // Time per fetch over the bare service worker's, per round (load moves every round; a ratio within one does not).
    const over = (key) => r2(median(edge[key].map((x, i) => edge.bareServiceWorker[i] / x)));
    report.edgeRatios = { edgeWorkerOnlyOverBare: over('edgeWorkerOnly'), edgeToObjectOverBare: over('edgeToObject') };
  }
  if (options.calls > 0) {
    const calls = await page.evaluate(([name, n, rounds]) => window.bench.callProfile(name, n, rounds), [`profile-${run}`, options.calls, options.rounds]);
    report.calls = Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, { perSec: Math.round(median(v)), usPerCall: r2(1e6 / median(v)), rounds: v.map(Math.round) }]));
    // Load moves every round; a ratio within one round does not move with it.
    report.callRatios = {
      hearthPingOverEcho: r2(median(calls.hearthPing.map((x, i) => x / calls.echo[i]))),
      echoAckOverEcho: r2(median(calls.echoAck.map((x, i) => x / calls.echo[i]))),
      // µs a call's storage adds inside the object, per round: a get, and a get + put + commit.
      readMinusPingUs: r2(median(calls.hearthRead.map((x, i) => 1e6 / x - 1e6 / calls.hearthPing[i]))),
      incrementMinusPingUs: r2(median(calls.hearthIncrement.map((x, i) => 1e6 / x - 1e6 / calls.hearthPing[i]))),
    };
  }
  report.loadAfter = os.loadavg()[0];
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`load ${r2(report.loadBefore)} → ${r2(report.loadAfter)}`);
    for (const [label, c] of Object.entries({ ...report.cold, ...(report.sweep && { [`sweep past a bound of ${options.max}`]: report.sweep }) })) {
      console.log(`\ncold start, ${label}: median total ${c.totalMs} ms over ${c.n} (${c.spare} from a spare)`);
      for (const [step, ms, k] of c.steps) console.log(`  ${step.padEnd(22)} ${String(ms).padStart(8)} ms${k < c.n ? `  (in ${k})` : ''}`);
    }
    if (report.memory) {
      console.log(`\nresident memory per worker held at each stage of a spare's start (${options.memory} workers each):`);
      for (const [k, v] of Object.entries(report.memory)) console.log(`  ${k.padEnd(10)} ${String(v).padStart(6)} MB`);
    }
    if (report.pools) {
      console.log('\nstorage floor of a cold start (raw sqlite-wasm, median of rounds):');
      for (const [k, v] of Object.entries(report.pools)) console.log(`  ${k.padEnd(14)} ${String(v.medianMs).padStart(8)} ms   rounds ${v.rounds.join(' ')}`);
    }
    if (report.pitr) {
      console.log('\npoint-in-time recovery per commit (raw sqlite-wasm, median of rounds of 2,000 commits):');
      for (const [k, v] of Object.entries(report.pitr)) console.log(`  ${k.padEnd(14)} ${String(v.usPerCommit).padStart(8)} µs  ×${v.overPlain} plain   rounds ${v.rounds.join(' ')}`);
    }
    if (report.edge) {
      console.log('\nthe edge, fetches one at a time (median of rounds of 500):');
      for (const [k, v] of Object.entries(report.edge)) console.log(`  ${k.padEnd(18)} ${String(v.perSec).padStart(7)}/s  ${String(v.msPerCall).padStart(7)} ms   rounds ${v.rounds.join(' ')}`);
      console.log(`  per-round ratios (median), time per fetch ÷ the bare service worker's: edge, Worker only ${report.edgeRatios.edgeWorkerOnlyOverBare}; edge to object ${report.edgeRatios.edgeToObjectOverBare}`);
    }
    if (report.calls) {
      console.log('\nwarm round trips (median of rounds):');
      for (const [k, v] of Object.entries(report.calls)) console.log(`  ${k.padEnd(14)} ${String(v.perSec).padStart(7)}/s  ${String(v.usPerCall).padStart(7)} µs   rounds ${v.rounds.join(' ')}`);
      console.log(`  per-round ratios (median): Hearth ping ÷ echo ${report.callRatios.hearthPingOverEcho}, echo with ack ÷ echo ${report.callRatios.echoAckOverEcho}`);
      console.log(`  per round (median), µs over ping: a get ${report.callRatios.readMinusPingUs}, a get + put + commit ${report.callRatios.incrementMinusPingUs}`);
    }
  }
} finally {
  await context?.close().catch(() => {});
  await server?.close().catch(() => {});
  await rm(outDir, { recursive: true, force: true });
  await rm(profileDir, { recursive: true, force: true });
}
