/**
 * The page `npm run bench` drives: starts Hearth with the bench app and puts
 * the measurements on `window.bench` for `page.evaluate`. Every measurement
 * returns raw samples (ms); bench/run.mjs does the statistics.
 *
 * Timer note: this page is not cross-origin isolated (like a normal app), so
 * Chromium clamps `performance.now()` to 0.1 ms with jitter. Per-request
 * samples are therefore quantised to 0.1 ms; the sub-0.1 ms floor is timed in
 * batches instead.
 */
import { start, type Runtime } from '../../src/index.ts';
import config from './wrangler.jsonc';

export interface Samples {
  /** One entry per sample, in ms. */
  samples: number[];
  /** Operations each sample covers (1, or the batch size). */
  perSample: number;
  /** Wall time of the whole timed loop, in ms. */
  totalMs: number;
}

export interface Bench {
  runtime: Runtime;
  info(): { userAgent: string; hardwareConcurrency: number; crossOriginIsolated: boolean };
  /** Sequential increments on one already-live object. */
  warm(binding: string, name: string, n: number, warmup: number): Promise<Samples>;
  /** First request to `n` distinct never-used objects, one after another. */
  cold(binding: string, prefix: string, n: number): Promise<Samples>;
  /** Part of a cold start: spawn a worker and load the object worker's module graph, `n` times. */
  spawn(n: number): Promise<Samples>;
  /** postMessage round trips page ↔ a trivial dedicated worker, timed in batches. */
  floor(n: number, warmup: number, batch: number): Promise<Samples>;
}

declare global {
  interface Window {
    bench: Bench;
  }
}

async function call(runtime: Runtime, binding: string, name: string): Promise<string> {
  const response = await runtime.env[binding].getByName(name).fetch('https://bench.test/increment');
  const text = await response.text();
  if (!response.ok) throw new Error(`${binding}/${name}: HTTP ${response.status} ${text}`);
  return text;
}

async function boot() {
  const runtime = await start({ config, main: new URL('./worker.ts', import.meta.url) });

  const bench: Bench = {
    runtime,
    info: () => ({
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated: globalThis.crossOriginIsolated,
    }),

    async warm(binding, name, n, warmup) {
      const stub = runtime.env[binding].getByName(name);
      const once = async () => {
        const response = await stub.fetch('https://bench.test/increment');
        await response.text();
      };
      for (let i = 0; i < warmup; i++) await once();
      const samples = new Array<number>(n);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        await once();
        samples[i] = performance.now() - t;
      }
      return { samples, perSample: 1, totalMs: performance.now() - t0 };
    },

    async cold(binding, prefix, n) {
      const samples = new Array<number>(n);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const text = await call(runtime, binding, `${prefix}-${i}`);
        samples[i] = performance.now() - t;
        if (binding === 'COUNTER' && text !== '1') throw new Error(`object ${prefix}-${i} was not new (answered ${text})`);
      }
      return { samples, perSample: 1, totalMs: performance.now() - t0 };
    },

    async spawn(n) {
      const samples = new Array<number>(n);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const worker = new Worker(new URL('./spawn.worker.ts', import.meta.url), { type: 'module', name: `bench spawn ${i}` });
        await new Promise<void>((resolve, reject) => {
          worker.onmessage = () => resolve();
          worker.onerror = (event) => reject(new Error(`spawn worker failed: ${event.message}`));
        });
        samples[i] = performance.now() - t;
        worker.terminate();
      }
      return { samples, perSample: 1, totalMs: performance.now() - t0 };
    },

    async floor(n, warmup, batch) {
      const worker = new Worker(new URL('./echo.worker.ts', import.meta.url), { type: 'module' });
      try {
        let pending: (() => void) | undefined;
        worker.onmessage = () => pending!();
        const roundTrip = (i: number) =>
          new Promise<void>((resolve) => {
            pending = resolve;
            worker.postMessage(i);
          });
        for (let i = 0; i < warmup; i++) await roundTrip(i);
        const samples: number[] = [];
        const t0 = performance.now();
        for (let i = 0; i < n; i += batch) {
          const t = performance.now();
          for (let j = 0; j < batch; j++) await roundTrip(i + j);
          samples.push((performance.now() - t) / batch);
        }
        return { samples, perSample: batch, totalMs: performance.now() - t0 };
      } finally {
        worker.terminate();
      }
    },
  };

  Object.assign(window, { bench });
  document.body.dataset.ready = 'true';
}

boot().catch((error) => {
  document.body.dataset.ready = 'error';
  document.body.dataset.error = `${error?.name}: ${error?.message}`;
  console.error(error);
});
