/**
 * The hearth() plugin in a real Vite build (Node side): a bad Wrangler config
 * fails the build with wrangler's message, naming the file; a good one builds
 * the page, the object worker and the edge with its precache list.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import hearth from '../../src/vite/plugin.ts';

const fixtures = path.resolve(import.meta.dirname, 'fixtures');
const edgeApp = path.resolve(import.meta.dirname, '../edge-app');
const outDirs: string[] = [];
/**
 * Each test runs a real Vite build: seconds alone, and far longer on a loaded
 * two-core machine than vitest's 5 s default. Budgets, not expectations.
 */
const BUILD_BUDGET_MS = 60_000;
const FULL_BUILD_BUDGET_MS = 180_000;

async function outDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hearth-plugin-'));
  outDirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const dir of outDirs) await rm(dir, { recursive: true, force: true });
});

describe('hearth() in vite build', () => {
  it('fails the build on an invalid migration, with wrangler\'s message and the file', async () => {
    const root = path.join(fixtures, 'bad-migration');
    const failure = build({ configFile: false, root, logLevel: 'silent', plugins: [hearth()], build: { outDir: await outDir() } });
    await expect(failure).rejects.toThrow(
      `${path.join(root, 'wrangler.jsonc')}: Expected "migrations[1].renamed_classes" to be an array of "{from: string, to: string}" objects but got [{"from":"Room"}].`,
    );
  }, BUILD_BUDGET_MS);

  it('fails the build when no Wrangler config exists', async () => {
    const failure = build({ configFile: false, root: os.tmpdir(), logLevel: 'silent', plugins: [hearth()], build: { outDir: await outDir() } });
    await expect(failure).rejects.toThrow('no Wrangler config file found');
  }, BUILD_BUDGET_MS);

  it('builds the edge next to the app, precaching every built file', async () => {
    const dir = await outDir();
    await build({ configFile: path.join(edgeApp, 'vite.config.ts'), logLevel: 'silent', build: { outDir: dir, emptyOutDir: true } });
    const edge = await readFile(path.join(dir, 'hearth-edge.js'), 'utf8');
    for (const needed of ['/index.html', '.wasm', 'object.worker', 'coordinator.shared-worker']) expect(edge).toContain(needed);
    // The Worker's code is inside the edge (a service worker cannot import() it later).
    expect(edge).toContain('no such route');
    // The edge reads the record the plugin normalised once (namespace keys derived), not the raw file.
    expect(edge).toMatch(/namespaceKey"?:\s*["`]hearth-edge-app-Notes["`]/);
  }, FULL_BUILD_BUDGET_MS);
});
