/**
 * Vitest global setup of the Firefox run: the two Vite dev servers the tests
 * load pages from, as playwright.config.ts starts them for Chromium (the
 * repository's own, and test/edge-app's), on the Firefox run's ports.
 */
import { createServer, type ViteDevServer } from 'vite';
import path from 'node:path';
import { ROOT_PORT, EDGE_PORT } from './ports.ts';

const REPO = path.resolve(import.meta.dirname, '../..');

export default async function setup(): Promise<() => Promise<void>> {
  const servers: ViteDevServer[] = [];
  for (const [configFile, port] of [
    [path.join(REPO, 'vite.config.ts'), ROOT_PORT],
    [path.join(REPO, 'test/edge-app/vite.config.ts'), EDGE_PORT],
  ] as const) {
    const server = await createServer({
      configFile,
      root: configFile.endsWith('edge-app/vite.config.ts') ? undefined : REPO,
      logLevel: 'warn',
      // Its own dependency cache: a Chromium run's servers may be optimising beside it.
      cacheDir: path.join(REPO, 'node_modules/.vite', `firefox-${port}`),
      server: { port, strictPort: true },
    });
    await server.listen();
    servers.push(server);
  }
  return async () => {
    for (const server of servers) await server.close();
  };
}
