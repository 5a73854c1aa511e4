// A user's app, as a user would set it up: one plugin, the wrangler.jsonc beside it.
import { defineConfig } from 'vite';
import hearth from '../../src/vite/plugin.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [hearth()],
});
