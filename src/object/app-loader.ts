/**
 * Loads the app's Worker module inside an object worker (see `AppSource`).
 */
import type { AppSource } from '../app-source.ts';
import { WORKERS_API_KEY } from '../brands.ts';
import * as workersApi from '../workers-api/index.ts';

export type AppModule = Record<string, unknown>;

export async function loadApp(source: AppSource): Promise<AppModule> {
  switch (source.kind) {
    case 'url':
      return (await import(/* @vite-ignore */ source.url)) as AppModule;
    case 'bundled': {
      const { default: app } = await import('virtual:hearth/app');
      if (!app) throw new Error('No app is bundled: the hearth() Vite plugin found no `main` in the Wrangler config.');
      return app as AppModule;
    }
    case 'modules':
      return importModules(source.main, source.modules);
  }
}

const WORKERS_API = Symbol.for(WORKERS_API_KEY);
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"]+)\2/g;

/**
 * Import source text as ES modules through blob URLs. Each module's relative
 * specifiers are rewritten to the blob URLs of the modules they name, so the
 * graph must be acyclic; `cloudflare:workers` becomes a module that re-exports
 * this worker's own copy of Hearth's implementation.
 */
async function importModules(main: string, modules: Record<string, string>): Promise<AppModule> {
  (globalThis as Record<symbol, unknown>)[WORKERS_API] = workersApi;
  const names = Object.keys(workersApi);
  const shim = `const api = globalThis[Symbol.for(${JSON.stringify(WORKERS_API_KEY)})];\n${names
    .map((n) => `export const ${n} = api.${n};`)
    .join('\n')}`;
  const urls = new Map<string, string>([['cloudflare:workers', blobUrl(shim)]]);
  const visiting = new Set<string>();

  const urlOf = (name: string): string => {
    const known = urls.get(name);
    if (known) return known;
    const source = modules[name];
    if (source === undefined) throw new TypeError(`No such module "${name}".`);
    if (visiting.has(name)) throw new TypeError(`Modules given as source cannot import each other in a cycle ("${name}").`);
    visiting.add(name);
    const rewritten = source.replace(SPECIFIER, (whole, prefix: string, quote: string, specifier: string) => {
      if (specifier === 'cloudflare:workers') return `${prefix}${quote}${urlOf(specifier)}${quote}`;
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) return whole;
      return `${prefix}${quote}${urlOf(resolveName(name, specifier))}${quote}`;
    });
    const url = blobUrl(rewritten);
    urls.set(name, url);
    return url;
  };
  return (await import(/* @vite-ignore */ urlOf(main))) as AppModule;
}

function blobUrl(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
}

/** `./b.js` from `dir/a.js` → `dir/b.js`. */
function resolveName(from: string, specifier: string): string {
  const base = new URL(from, 'hearth://modules/');
  return new URL(specifier, base).pathname.replace(/^\//, '');
}
