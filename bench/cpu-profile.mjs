#!/usr/bin/env node
/**
 * `npm run bench:cpu`: a V8 CPU profile of one bench row, in the page and in
 * every worker it runs, to see which functions a call's microseconds go to
 * (docs/performance.md, "A write call, profiled again").
 *
 *   node bench/cpu-profile.mjs [--op=rpcSeq] [--n=5000] [--interval=100] [--top=20] [--out=DIR]
 *
 * --op        a row of bench/page/driver.js that takes `{ name, n, warmup }` (rpcSeq, rpcNoop, durable, fetchWarm…)
 * --n         calls while the profilers run (after 500 to warm up)
 * --interval  the sampling interval, µs. Sampling slows the thread it samples: read shares, not absolute times
 * --out       where the .cpuprofile files go (open them in Chromium's DevTools, Performance panel); default a temp dir
 *
 * The bench page is built unminified, so the profile names Hearth's functions. It runs in Chromium driven
 * through puppeteer-core rather than Playwright: a dedicated worker's own DevTools session (to profile the
 * object's thread) is something Playwright does not expose.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs';

const PAGE_CONFIG = fileURLToPath(new URL('./page/vite.config.ts', import.meta.url));
const options = { op: 'rpcSeq', n: 5000, interval: 100, top: 20, out: '' };
for (const arg of process.argv.slice(2)) {
  const [key, value = ''] = arg.replace(/^--/, '').split('=');
  if (key === 'op' || key === 'out') options[key] = value;
  else if (key in options && Number(value) > 0) options[key] = Number(value);
  else throw new Error(`unknown argument ${arg}`);
}

const WASM = /^(wasm-function\[|js-to-wasm|wasm-to-js)/;

/** Self and inclusive sample counts per function (`name file:line`), and µs per sample. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    return `${functionName || '(anonymous)'} ${url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''}`.trim();
  };
  const self = new Map();
  const inclusive = new Map();
  for (const id of profile.samples) {
    // SQLite's wasm functions are nameless (wasm-function[N]): their self time is shown as one sum.
    const own = WASM.test(label(byId.get(id))) ? 'SQLite (all its wasm functions)' : label(byId.get(id));
    self.set(own, (self.get(own) ?? 0) + 1);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at));
      if (seen.has(name) || WASM.test(name)) continue; // recursion counts once; SQLite's call chains are not listed
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + 1);
    }
  }
  return { self, inclusive, usPerSample: (profile.endTime - profile.startTime) / profile.samples.length };
}

function printTop(title, counts, usPerSample, n, top) {
  console.log(`  ${title}`);
  const rows = [...counts].filter(([name]) => name !== '(root)').sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, count] of rows) console.log(`    ${((count * usPerSample) / n).toFixed(1).padStart(8)} µs  ${name}`);
}

const outDir = options.out || (await mkdtemp(path.join(os.tmpdir(), 'hearth-cpu-profile-')));
const buildDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-cpu-build-'));
const profileDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-cpu-chromium-'));
await build({ configFile: PAGE_CONFIG, logLevel: 'warn', build: { outDir: buildDir, emptyOutDir: true, minify: false } });
const server = await preview({ configFile: PAGE_CONFIG, logLevel: 'warn', build: { outDir: buildDir }, preview: { port: 0, host: '127.0.0.1' } });
const browser = await puppeteer.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true, userDataDir: profileDir });
try {
  const page = await browser.newPage();
  await page.goto(`${server.resolvedUrls.local[0].replace(/\/$/, '')}/index.html`);
  await page.waitForFunction(() => document.body?.dataset.ready, { timeout: 60_000 });
  const name = `cpu-${Date.now()}`;
  await page.evaluate((op, name) => window.bench.op(op, { name, n: 500, warmup: 100 }), options.op, name);
  const targets = [['page', await page.createCDPSession()]];
  for (const [i, worker] of page.workers().entries()) targets.push([`worker${i}-${worker.url().split('/').pop().replace(/\?.*/, '')}`, worker.client]);
  for (const [, session] of targets) {
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: options.interval });
    await session.send('Profiler.start');
  }
  const started = performance.now();
  await page.evaluate((op, name, n) => window.bench.op(op, { name, n, warmup: 0 }), options.op, name, options.n);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${options.op}: ${options.n} in ${seconds.toFixed(2)} s while profiled (${Math.round(options.n / seconds)}/s); µs per call:`);
  for (const [label, session] of targets) {
    const { profile } = await session.send('Profiler.stop');
    const file = path.join(outDir, `${label}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    const { self, inclusive, usPerSample } = summarize(profile);
    const idle = ((self.get('(idle)') ?? 0) * 100) / profile.samples.length;
    if (idle > 99) continue; // a spare, or an object this row does not use
    console.log(`\n${label} (${idle.toFixed(0)} % idle) → ${file}`);
    printTop('self time', self, usPerSample, options.n, options.top);
    printTop('inclusive', inclusive, usPerSample, options.n, options.top * 2);
  }
} finally {
  await browser.close();
  server.httpServer.close();
}
