/**
 * `[env.<name>]` environments as wrangler reads them (`--env`; Hearth:
 * `hearth({ env })` or `start({ env })`): the environment's own vars and
 * bindings, inherited main and dates, and a Worker name of `<name>-<env>`, so
 * its objects are apart from the top level's.
 */
import { test, expect } from './fixtures.ts';
import { gotoApp, openAppWith } from './open-app-with.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';

const appConfig = parse(readFileSync(new URL('../app/wrangler.jsonc', import.meta.url), 'utf8')) as Record<string, unknown>;

const config = {
  ...appConfig,
  vars: { STAGE: 'top level' },
  env: {
    staging: {
      vars: { STAGE: 'staging' },
      durable_objects: { bindings: [{ name: 'COUNTER', class_name: 'Counter' }, { name: 'CALCULATOR', class_name: 'Calculator' }] },
    },
  },
};

test('an environment gets its own vars, bindings and worker name, and keeps its objects apart', async ({ context }) => {
  const top = await openAppWith(context, { config });
  const staging = await openAppWith(context, { config, env: 'staging' });
  const read = (page: typeof top) =>
    page.evaluate(() => ({
      stage: window.hearth.runtime.env.STAGE,
      name: window.hearth.runtime.config.name,
      environment: window.hearth.runtime.config.environment ?? null,
      bindings: window.hearth.runtime.config.bindings.map((b) => b.name),
    }));
  expect(await read(top)).toMatchObject({ stage: 'top level', name: 'hearth-test-app', environment: null });
  expect(await read(staging)).toEqual({
    stage: 'staging',
    name: 'hearth-test-app-staging',
    environment: 'staging',
    bindings: ['COUNTER', 'CALCULATOR'],
  });
  // The same name reaches a different object in each environment (another namespace, as another Worker).
  await top.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'env-apart') as any).add(5));
  expect(await staging.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'env-apart') as any).add(1))).toBe(1);
  expect(await top.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'env-apart') as any).add(1))).toBe(6);
});

test('an environment that is not in the config is refused with the names that are', async ({ page }) => {
  const state = await gotoApp(page, { config, env: 'prod' });
  expect(state).toContain('No environment found in configuration with name "prod". The available configured environment names are: ["staging"]');
});
