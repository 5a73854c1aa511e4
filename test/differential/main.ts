/**
 * Hearth's side of the differential test: starts Hearth with the shared
 * classes and exposes the shared scenario driver on `window.differential`,
 * so the spec runs exactly the code workerd's Worker runs.
 */
import { start } from '../../src/index.ts';
import { RpcTarget } from 'cloudflare:workers';
import config from './wrangler.jsonc';
import { runScenario, type ScenarioResult } from './scenarios.js';
import { reportReady } from '../page-ready.ts';

export interface Differential {
  run(id: string): Promise<ScenarioResult>;
  features(): Promise<{ sql: boolean; syncKv: boolean; transaction: boolean }>;
}

declare global {
  interface Window {
    differential: Differential;
  }
}

// The Vite dev server reloads every open page when any source file changes.
// A reload mid-run would drop the scenarios in flight, so this test page holds
// the reload back for its whole life (the listener's promise never settles).
import.meta.hot?.on('vite:beforeFullReload', () => new Promise<never>(() => {}));

async function boot() {
  const runtime = await start({ config, main: new URL('./classes.js', import.meta.url) });
  // Through JSON, as workerd's side goes through Response.json(): only data reaches the comparison.
  const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));
  window.differential = {
    run: async (id) => asJson(await runScenario(id, { env: runtime.env, RpcTarget, prefix: '' })),
    features: async () => asJson(await runtime.env.RUNNER.getByName('features').features()),
  };
}

reportReady(boot());
