// The bench page is an app like any other: hearth() reads the wrangler.jsonc
// beside it. `npm run bench` builds it and serves the build (the default), or
// serves it from the dev server with --server=dev.
import { defineConfig } from 'vite';
import hearth from '../../src/vite/plugin.ts';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/bench',
  plugins: [hearth()],
});
