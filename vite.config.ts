import { defineConfig, type Plugin } from 'vite';
import hearth from './src/vite/plugin.ts';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/** `import config from './wrangler.jsonc'`: parse JSON with comments at build time (the same file wrangler reads). */
function jsonc(): Plugin {
  return {
    name: 'hearth:jsonc',
    transform(code, id) {
      if (!id.endsWith('.jsonc')) return null;
      const errors: ParseError[] = [];
      const value = parse(code, errors, { allowTrailingComma: true });
      if (errors.length) {
        const first = errors[0]!;
        throw new Error(`${id}: ${printParseErrorCode(first.error)} at offset ${first.offset}`);
      }
      return { code: `export default ${JSON.stringify(value)};`, map: null };
    },
  };
}

// The repository's root is the Counter demo, an app like any other: the
// hearth() plugin reads its wrangler.jsonc. The test, differential and bench
// pages served from here start Hearth by hand with their own configs (`start({ config, main })`),
// which is why `.jsonc` files can also be imported.
export default defineConfig({
  plugins: [jsonc(), hearth({ config: 'demo/wrangler.jsonc' })],
  // The playground's dependencies (its page and its TypeScript worker): Vite only scans the root page for
  // dependencies, and one found later would make it re-bundle and reload the page.
  optimizeDeps: {
    include: [
      'jsonc-parser',
      'lz-string',
      'typescript-6',
      '@codemirror/state',
      '@codemirror/view',
      '@codemirror/commands',
      '@codemirror/language',
      '@codemirror/autocomplete',
      '@codemirror/lint',
      '@codemirror/lang-javascript',
      '@codemirror/lang-json',
      '@codemirror/theme-one-dark',
    ],
  },
  // The edge test app's server runs beside this one: separate dependency caches keep them from clobbering each other.
  cacheDir: 'node_modules/.vite/root',
  server: { port: 5173 },
  // A build has two pages: the Counter demo and the playground (the edge precaches both).
  build: { rolldownOptions: { input: { main: 'index.html', playground: 'playground/index.html' } } },
});
