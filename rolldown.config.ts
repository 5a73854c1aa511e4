/**
 * The package build (`npm run build:package`, run by `npm pack`): TypeScript
 * source → ESM JavaScript in dist/, one file per source file, the tree kept
 * as it is (dist/src/…, dist/workers/…), with declarations (`tsc -p
 * tsconfig.build.json`) beside them.
 *
 * Nothing is bundled: the app's own Vite does that. In particular
 * `new Worker(new URL('../../workers/object.worker.ts', import.meta.url))`,
 * `…/sqlite3.wasm?url` and `virtual:hearth/*` are left for the app's Vite
 * to see, so keeping the layout keeps those relative URLs pointing at the
 * built worker entries; only their `.ts` becomes `.js`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type Plugin } from 'rolldown';

const OUT_DIR = 'dist';
/** A relative module specifier ending in `.ts`, in an `import`/`export … from` or `import()`/`new URL()`. */
const RELATIVE_TS = /((?:from\s*|import\(\s*|new URL\(\s*)(['"])\.{1,2}\/[^'"]+)\.ts\2/g;
const toJs = (code: string) => code.replace(RELATIVE_TS, '$1.js$2');

/** `new URL('./x.ts', import.meta.url)` names a file; the built file is `./x.js`. */
function workerUrlsToJs(): Plugin {
  return { name: 'hearth:worker-urls-to-js', renderChunk: (code) => toJs(code) };
}

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else yield full;
  }
}

/**
 * `.d.ts` beside each built file, from TypeScript itself (TypeScript 7 has no
 * JavaScript API for a bundler plugin to call). tsc keeps the source's `.ts`
 * specifiers in declarations; the package's files are `.js`, so they are rewritten.
 */
function declarations(): Plugin {
  return {
    name: 'hearth:declarations',
    writeBundle() {
      execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
      for (const file of filesUnder(OUT_DIR)) {
        if (file.endsWith('.d.ts')) writeFileSync(file, toJs(readFileSync(file, 'utf8')));
      }
    },
  };
}

export default defineConfig({
  input: [
    'src/index.ts', // hearth
    'src/vite/plugin.ts', // hearth/vite
    'src/workers-api/index.ts', // hearth/workers
    'src/devtools/main.ts', // the /__hearth/ page, served by the plugin (loaded by URL, never imported)
    // Every worker entry: loaded by URL, never imported (the runtime starts them, the plugin builds the edge).
    ...readdirSync('workers')
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `workers/${name}`),
  ],
  platform: 'neutral',
  // Only our own files are built; dependencies, `vite`, `node:*`, `virtual:*` and `?url` imports stay imports.
  external: (id, importer) => importer !== undefined && !id.startsWith('.') && !id.startsWith('/'),
  transform: { target: 'es2023' },
  treeshake: false,
  plugins: [workerUrlsToJs(), declarations()],
  output: {
    dir: OUT_DIR,
    format: 'esm',
    preserveModules: true,
    preserveModulesRoot: '.',
    entryFileNames: '[name].js',
    cleanDir: true,
  },
});
