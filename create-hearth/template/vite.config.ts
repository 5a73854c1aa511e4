import { defineConfig } from 'vite';
import hearth from 'hearth/vite';

// hearth() reads wrangler.jsonc and builds src/worker.ts into the page's object workers and its edge.
export default defineConfig({
  plugins: [hearth()],
});
