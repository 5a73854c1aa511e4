/**
 * A production build of one of this repository's Vite apps, served by `vite
 * preview` on a given port: what the offline tests (Chromium and Firefox)
 * visit once online and then again with the server gone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build, preview, type PreviewServer } from 'vite';

export interface BuiltAppPreview {
  readonly url: string;
  /** Stop serving: from now on the origin has no network. Idempotent. */
  stopServing(): Promise<void>;
  /** Stop serving and delete the build. */
  dispose(): Promise<void>;
}

export async function buildAndPreview(configFile: string, port: number, urlPath = '/'): Promise<BuiltAppPreview> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-build-'));
  // Vite reads and writes this process's NODE_ENV: a dev server started in-process by an earlier test of
  // this worker leaves it at `development`, and a build made then is not a production build (no
  // `import.meta.env.PROD`, so no service worker and no offline copy). And a build leaves it at `production`,
  // which would reach the processes later tests start (npm then leaves out devDependencies). So the build gets
  // `production`, and everything after it gets what was there before.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  let server: PreviewServer | undefined = await preview({ configFile, logLevel: 'warn', build: { outDir }, preview: { port, strictPort: true } });
  const stopServing = async () => {
    await server?.close();
    server = undefined;
  };
  return {
    url: `http://localhost:${port}${urlPath}`,
    stopServing,
    async dispose() {
      await stopServing();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
