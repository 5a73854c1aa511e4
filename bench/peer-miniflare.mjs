/**
 * The peer: the same Durable Object classes (bench/page/worker.js) under
 * workerd, through the `miniflare` npm package, in this Node process.
 *
 * Fairness: Hearth's rows are timed by the page, the natural caller of a
 * same-tab object, with no HTTP in between. Here the loop runs *inside* a
 * workerd Worker (the default export of worker.js, running driver.js), so it
 * too times caller → object within its runtime; Node only posts one request
 * per loop to start it. workerd's clock moves in 1 ms steps and only when I/O
 * completes, so per-call p50/p99 here are quantised to 1 ms: compare the
 * per-second rates (from the loop's total time), which is what the ratios do.
 *
 * Storage is persisted to a fresh temporary directory (Miniflare's
 * `durableObjectsPersist`), so both sides write to disk.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { parse } from 'jsonc-parser';
import { sequential } from './page/driver.js';
import { workerdRssMb } from './process-memory.mjs';

const PAGE_DIR = new URL('./page/', import.meta.url);

/** The Miniflare equivalent of bench/page/wrangler.jsonc (as the differential test derives it). */
function miniflareOptions(persistDir) {
  const config = parse(readFileSync(new URL('wrangler.jsonc', PAGE_DIR), 'utf8'));
  const sqlite = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  return {
    name: config.name,
    modules: true,
    scriptPath: fileURLToPath(new URL(config.main, PAGE_DIR)),
    // worker.js imports driver.js: load every .js as an ES module.
    modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }],
    // Not newer than the workerd that miniflare ships.
    compatibilityDate: '2026-07-01',
    durableObjects: Object.fromEntries(
      config.durable_objects.bindings.map((b) => [b.name, { className: b.class_name, useSQLite: sqlite.has(b.class_name) }]),
    ),
    durableObjectsPersist: persistDir,
  };
}

/** `port`: where miniflare's HTTP server listens (on 127.0.0.1), for the browser → HTTP row. */
export async function startPeer(port) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-bench-miniflare-'));
  const mf = new Miniflare({ ...miniflareOptions(dir), host: '127.0.0.1', port });
  const url = await mf.ready;
  return {
    /** miniflare's HTTP server (`wrangler dev`'s), ending in `/`. */
    url: url.href,
    /** Run one driver.js op inside workerd; `nodeMs` is the whole request as Node saw it. */
    async op(op, params) {
      if (op === 'edgeFetch') return this.edgeFetch(params);
      const t = performance.now();
      const response = await mf.dispatchFetch('http://bench.test/drive', { method: 'POST', body: JSON.stringify({ op, params }) });
      const text = await response.text();
      if (!response.ok) throw new Error(`miniflare ${op}: HTTP ${response.status}: ${text.slice(0, 500)}`);
      return { ...JSON.parse(text), nodeMs: performance.now() - t };
    },
    /**
     * The edge row's peer: requests from outside workerd (Node, over
     * miniflare's HTTP) to the same Worker, which calls the object — as the
     * page's fetch reaches the Worker in Hearth's service worker.
     */
    async edgeFetch({ name, n, warmup }) {
      const call = async () => {
        const response = await mf.dispatchFetch(`http://bench.test/edge/increment?name=${encodeURIComponent(name)}`);
        const text = await response.text();
        if (!response.ok) throw new Error(`miniflare edgeFetch: HTTP ${response.status}: ${text.slice(0, 500)}`);
      };
      return sequential(() => performance.now(), n, warmup, call);
    },
    rssMb: workerdRssMb,
    async close() {
      await mf.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
