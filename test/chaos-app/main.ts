/**
 * One tab of the chaos app: starts Hearth like an app does, and on request
 * streams calls at one object — straight through `runtime.env`, or through the
 * edge with a plain `fetch('/api/apply')` — reporting each call to the suite
 * (`chaosReport`, a Playwright binding) as it is sent, acknowledged or refused.
 *
 * `fault: 'resend'` is a deliberately broken caller for the suite to catch: it
 * sends a refused call again under the same id, although it may have run, and
 * re-sends every tenth accepted call as if its answer had been lost.
 */
import { start } from '../../src/index.ts';
import type { Runtime } from '../../src/index.ts';
import type { Execution } from './src/worker.ts';
import { reportReady } from '../page-ready.ts';

export type ChaosEvent =
  | { t: 'sent' | 'ack'; callId: string; name: string }
  | { t: 'reject'; callId: string; name: string; errorName: string; message: string; retryable: boolean };

export interface StreamOptions {
  concurrency: number;
  via: 'rpc' | 'edge' | 'mixed';
  fault?: 'ack-before-write' | 'resend' | 'hang';
}

declare global {
  interface Window {
    chaosReport?: (event: ChaosEvent) => Promise<void>;
    chaos: ChaosTab;
  }
}

interface ChaosTab {
  runtime: Runtime;
  hostId: string;
  start(name: string, options: StreamOptions): void;
  stop(name: string, budgetMs: number): Promise<string[]>;
  log(name: string): Promise<Execution[]>;
  /** One call that also stores `padding` bytes (the quota probe). */
  applyPadded(name: string, callId: string, padding: number): Promise<string>;
  /** One call of `keep(value)`, the value built from `source` (the bad-input probe). */
  keep(name: string, source: string): Promise<string>;
  hostOf(name: string): Promise<string | undefined>;
}

const tab = crypto.randomUUID().slice(0, 8);
let nextCall = 0;
/** Calls sent and not yet settled: id → object name. */
const pending = new Map<string, string>();
const streams = new Map<string, { stop: boolean; loops: Promise<void>[] }>();
const report = (event: ChaosEvent) => window.chaosReport?.(event).catch(() => {}) ?? Promise.resolve();

async function callOnce(runtime: Runtime, name: string, callId: string, via: 'rpc' | 'edge', fault?: string): Promise<void> {
  if (via === 'edge') {
    const query = new URLSearchParams({ name, call: callId, ...(fault === 'ack-before-write' ? { fault } : {}) });
    // POST: the call is not idempotent (a GET may be dispatched again by the browser, see docs/reliability.md).
    const response = await fetch(`/api/apply?${query}`, { method: 'POST' }).catch((error: Error) => {
      // The request failed on the way (the service worker was stopped under it): its fate is unknown, as
      // with a lost connection, so it is the kind of failure a caller may retry.
      throw Object.assign(error, { retryable: true });
    });
    if (response.ok) return;
    const body = await response.json().catch(() => ({ error: { name: 'Error', message: `edge answered ${response.status}` } }));
    throw Object.assign(new Error(body.error.message), { name: body.error.name, retryable: body.error.retryable === true });
  }
  // A fresh stub per call: a stub that saw a reset stays broken, as on Cloudflare.
  const stub = runtime.env.TALLY.getByName(name) as { apply(id: string, fault?: string): Promise<string> };
  await stub.apply(callId, fault === 'ack-before-write' || fault === 'hang' ? fault : undefined);
}

async function loop(runtime: Runtime, name: string, options: StreamOptions, state: { stop: boolean }, index: number): Promise<void> {
  while (!state.stop) {
    const via = options.via === 'mixed' ? (index % 2 === 0 ? 'rpc' : 'edge') : options.via;
    const callId = `${tab}-${++nextCall}-${via}`;
    pending.set(callId, name);
    await report({ t: 'sent', callId, name });
    for (let attempt = 0; ; attempt++) {
      try {
        await callOnce(runtime, name, callId, via, options.fault);
        // Awaited: a call counts as acknowledged only once the suite has heard of it.
        await report({ t: 'ack', callId, name });
        // The broken caller also acts as if every tenth answer had been lost, and sends that call again.
        if (options.fault === 'resend' && nextCall % 10 === 0) await callOnce(runtime, name, callId, via).catch(() => {});
        break;
      } catch (error) {
        const e = error as Error & { retryable?: boolean };
        await report({ t: 'reject', callId, name, errorName: e?.name ?? 'Error', message: e?.message ?? String(e), retryable: e?.retryable === true });
        if (options.fault !== 'resend' || attempt >= 3) break;
      }
    }
    pending.delete(callId);
  }
}

reportReady(
  start().then((runtime) => {
    window.chaos = {
      runtime,
      hostId: runtime.hostId,
      start(name, options) {
        const state = { stop: false, loops: [] as Promise<void>[] };
        streams.set(name, state);
        for (let i = 0; i < options.concurrency; i++) state.loops.push(loop(runtime, name, options, state, i));
      },
      /** Stop streaming; resolves with the ids of calls still unsettled after `budgetMs` (hung calls). */
      async stop(name, budgetMs) {
        const state = streams.get(name);
        if (!state) return [];
        state.stop = true;
        await Promise.race([Promise.all(state.loops), new Promise((r) => setTimeout(r, budgetMs))]);
        streams.delete(name);
        return [...pending].filter(([, n]) => n === name).map(([id]) => id);
      },
      // Plain copies: RPC results carry a disposer, which the test driver cannot carry out of the page.
      log: async (name) =>
        JSON.parse(JSON.stringify(await (runtime.env.TALLY.getByName(name) as { log(): Promise<unknown> }).log())),
      applyPadded: (name, callId, padding) =>
        (runtime.env.TALLY.getByName(name) as { apply(id: string, fault: undefined, padding: number): Promise<string> })
          .apply(callId, undefined, padding)
          .then(String),
      keep: async (name, source) => {
        await (runtime.env.TALLY.getByName(name) as { keep(v: unknown): Promise<void> }).keep((0, eval)(`(${source})`));
        return 'stored';
      },
      hostOf: async (name) => (await runtime.inspect()).live.find((e) => e.name === name)?.hostId,
    };
  }),
);
