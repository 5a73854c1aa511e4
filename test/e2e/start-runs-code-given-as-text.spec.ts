/**
 * `start({ config, modules })`: the Worker's code as source text (what the
 * playground does). Relative imports between the modules resolve, and
 * `cloudflare:workers` is Hearth's.
 */
import { expect, test } from './fixtures.ts';

test('objects run from modules given as strings, importing each other and cloudflare:workers', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const { start } = await import('/src/index.ts' as string);
    const runtime = await start({
      config: {
        name: 'text-app',
        main: 'worker.js',
        durable_objects: { bindings: [{ name: 'GREETER', class_name: 'Greeter' }] },
        migrations: [{ tag: 'v1', new_sqlite_classes: ['Greeter'] }],
      },
      modules: {
        'worker.js': `
          import { DurableObject } from 'cloudflare:workers';
          import { greet } from './lib/greet.js';
          export class Greeter extends DurableObject {
            async hello(who) {
              const n = (this.ctx.storage.kv.get('n') ?? 0) + 1;
              this.ctx.storage.kv.put('n', n);
              return greet(who) + ' #' + n + ' from ' + this.ctx.id.name;
            }
          }
          export default { fetch() { return new Response('unused'); } };`,
        'lib/greet.js': `import { suffix } from '../suffix.js'; export const greet = (who) => 'hello ' + who + suffix;`,
        'suffix.js': `export const suffix = '!';`,
      },
    });
    const stub = runtime.env.GREETER.getByName('g');
    const first = await stub.hello('you');
    const second = await stub.hello('again');
    await runtime.close();
    return { first, second };
  });
  expect(result).toEqual({ first: 'hello you! #1 from g', second: 'hello again! #2 from g' });
});

test('start() explains what it needs when given a config without code', async ({ app }) => {
  const message = await app.evaluate(async () => {
    const { start } = await import('/src/index.ts' as string);
    try {
      await start({ config: { name: 'x' } });
      return 'started';
    } catch (error) {
      return `${(error as Error).name}: ${(error as Error).message}`;
    }
  });
  expect(message).toBe(
    'TypeError: start({ config }) also needs `main` (the URL of the Worker module) or `modules` (its source text).',
  );
});
