/**
 * A Worker may declare bindings Hearth does not provide (KV, R2, D1, Queues,
 * service bindings…). They are in `env` under their names — on the page, in
 * objects and through `cloudflare:workers` — and any use of one throws an
 * error naming the binding and its kind, never a silent `undefined`.
 */
import { test, expect } from './fixtures.ts';
import { openAppWith } from './open-app-with.ts';
import { readFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';

const appConfig = parse(readFileSync(new URL('../app/wrangler.jsonc', import.meta.url), 'utf8')) as Record<string, unknown>;

const config = {
  ...appConfig,
  kv_namespaces: [{ binding: 'CACHE', id: 'abc' }],
  r2_buckets: [{ binding: 'FILES', bucket_name: 'files' }],
  queues: { producers: [{ binding: 'JOBS', queue: 'jobs' }] },
  services: [{ binding: 'AUTH', service: 'auth-worker' }],
};

test('using a KV, R2, Queue or service binding throws an error that names it, on the page and in an object', async ({ context }) => {
  const page = await openAppWith(context, { config });
  const onPage = await page.evaluate(async () => {
    const env = window.hearth.runtime.env;
    const out: Record<string, unknown> = { present: ['CACHE', 'FILES', 'JOBS', 'AUTH'].map((n) => n in env) };
    for (const [name, use] of [
      ['CACHE', () => env.CACHE.get('k')],
      ['FILES', () => env.FILES.put('k', 'v')],
      ['JOBS', () => env.JOBS.send({})],
      ['AUTH', () => env.AUTH.fetch('https://auth/')],
    ] as const) {
      try {
        use();
        out[name] = 'no error';
      } catch (error) {
        out[name] = (error as Error).message;
      }
    }
    return out;
  });
  expect(onPage.present).toEqual([true, true, true, true]);
  expect(onPage.CACHE).toContain('env.CACHE is a KV namespace (`kv_namespaces` in the Wrangler config), which Hearth does not provide');
  expect(onPage.FILES).toContain('env.FILES is a R2 bucket');
  expect(onPage.JOBS).toContain('env.JOBS is a Queue producer');
  expect(onPage.AUTH).toContain('env.AUTH is a service binding');

  const inObject = await page.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'bindings') as any).useBinding('CACHE'));
  expect(inObject).toEqual({
    threw: true,
    readable: true,
    message: expect.stringContaining('env.CACHE is a KV namespace'),
  });
  // The object is unharmed by the mistake.
  expect(await page.evaluate(async () => await (window.hearth.stub('CALCULATOR', 'bindings') as any).add(2))).toBe(2);
});

test('a binding name used twice across kinds is refused at start', async ({ context }) => {
  const page = await context.newPage();
  const { gotoApp } = await import('./open-app-with.ts');
  const state = await gotoApp(page, { config: { ...appConfig, kv_namespaces: [{ binding: 'COUNTER', id: 'x' }] } });
  expect(state).toContain('binding "COUNTER" is declared twice');
});
