import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
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

// Until the `hearth/vite` plugin exists, the repo's own demo and test apps are
// served by plain Vite with `cloudflare:workers` aliased to Hearth's module.
export default defineConfig({
  plugins: [jsonc()],
  resolve: {
    alias: {
      'cloudflare:workers': fileURLToPath(new URL('./src/workers-api/index.ts', import.meta.url)),
    },
  },
  // sqlite-wasm locates its .wasm relative to its own module; pre-bundling
  // would move the module and break that, so leave it alone.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  worker: { format: 'es' },
  server: { port: 5173 },
});
