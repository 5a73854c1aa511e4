// A user's app, as a user would set it up: one plugin, the wrangler.jsonc beside it.
import { defineConfig } from 'vite';
import hearth from '../../src/vite/plugin.ts';

export default defineConfig({
  root: import.meta.dirname,
  // Beside the repository's own dev server in the tests: keep its dependency cache apart.
  cacheDir: '../../node_modules/.vite/edge-app',
  plugins: [hearth()],
});
