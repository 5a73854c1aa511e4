/**
 * The declaration files the worker's TypeScript checks against, all bundled
 * with the playground so checking works offline: TypeScript's own ES libs
 * (es2023 and everything it references) and `@cloudflare/workers-types`,
 * which declares the Workers globals and the `cloudflare:workers` module.
 *
 * Workers-types is 600 KB, so it is its own chunk, fetched only when the
 * worker starts (the page never loads it). The ES libs are small and needed
 * at once.
 */
const esLibs = import.meta.glob<string>('../../node_modules/typescript-6/lib/lib.{es5,es20*,decorators*}.d.ts', {
  query: '?raw',
  import: 'default',
});

/** Where TypeScript looks for its libs (`getDefaultLibFileName`'s directory). */
export const LIB_DIR = '/lib/';
export const WORKERS_TYPES = '/node_modules/@cloudflare/workers-types/index.d.ts';

export async function loadLibFiles(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const loads = Object.entries(esLibs).map(async ([path, load]) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    // Only the libs up to ES2023 are referenced; skip the later ones rather than fetch them.
    if (/es202[4-9]|esnext|\.full\./.test(name)) return;
    files.set(LIB_DIR + name, await load());
  });
  const workersTypes = import('../../node_modules/@cloudflare/workers-types/index.d.ts?raw').then((m) => {
    files.set(WORKERS_TYPES, m.default);
  });
  await Promise.all([...loads, workersTypes]);
  return files;
}
