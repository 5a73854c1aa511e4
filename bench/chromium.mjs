/**
 * How the bench and the e2e tests start Chromium, in one place: Debian's
 * /usr/bin/chromium (Playwright's browser download does not work here; set
 * CHROMIUM_PATH for another binary) with the flags that keep it from
 * phoning home or competing for the CPUs during a measurement. Plus a free
 * local port for the servers the bench starts.
 *
 * Plain JavaScript (bench/*.mjs runs on Node 20, which cannot run .ts); the
 * types are in chromium.d.mts for playwright.config.ts.
 */
import { createServer } from 'node:net';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
