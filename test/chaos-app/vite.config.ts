// The app the chaos suite hammers (test/chaos/), set up as a user would: one plugin, the wrangler.jsonc beside it.
import { defineConfig } from 'vite';
import hearth from '../../src/vite/plugin.ts';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/chaos-app',
  plugins: [hearth()],
});
