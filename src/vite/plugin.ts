/**
 * `hearth()`: the Vite plugin that turns a Cloudflare Workers + Durable Objects
 * project into a browser app.
 *
 *   // vite.config.ts
 *   import hearth from 'hearth/vite';
 *   export default defineConfig({ plugins: [hearth()] });
 *
 * It reads the app's `wrangler.jsonc` / `wrangler.json` / `wrangler.toml` (the
 * file `wrangler deploy` reads), fails the dev server or the build on a bad
 * one, and provides two modules:
 *  - `virtual:hearth/app` — the Worker's `main` module, built into each object
 *    worker and into the edge;
 *  - `virtual:hearth/config` — the normalised config record (validated once,
 *    here), the app's version and the edge's URL, which `start()` and the
 *    edge read as they are.
 * In a build it also bundles the edge (a module service worker) next to the
 * app, with the list of built files it precaches for offline use.
 *
 * Node-side code: it runs in Vite's process, never in the browser.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, searchForWorkspaceRoot, type Alias, type ModuleNode, type Plugin, type ResolvedConfig } from 'vite';
import type { AppVersion } from '../protocol.ts';
import type { NormalizedConfig } from '../config-record.ts';
import { findWranglerConfig, readWranglerConfig } from './wrangler-file.ts';

export interface HearthPluginOptions {
  /** The Wrangler config file, relative to Vite's root. Default: the first of wrangler.json, wrangler.jsonc, wrangler.toml there. */
  config?: string;
  /**
   * Serve the devtools (`/__hearth/`) in a build too. Always on under `vite`
   * (dev); off by default in builds, so the app's bundle carries none of it.
   */
  devtools?: boolean;
  /**
   * The `[env.<name>]` environment of the Wrangler config to run, as
   * `wrangler --env <name>` would (default: `CLOUDFLARE_ENV`, else the top level).
   * Its `.dev.vars.<name>` (else `.dev.vars`) supplies secrets under `vite` (dev).
   */
  env?: string;
}

const APP_ID = 'virtual:hearth/app';
const CONFIG_ID = 'virtual:hearth/config';
/** The edge script's file name, at the root of the app (a service worker's scope is bounded by its script's path). */
const EDGE_FILE = 'hearth-edge.js';

/**
 * This file runs from the repository (TypeScript source: the tests and the demo)
 * or from the installed package (dist/, the same tree built to `.js`).
 */
const HEARTH_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXT = path.extname(fileURLToPath(import.meta.url));
const INSTALLED = EXT === '.js';
const WORKERS_API = path.join(HEARTH_ROOT, `src/workers-api/index${EXT}`);
const EDGE_ENTRY = path.join(HEARTH_ROOT, `workers/edge.service-worker${EXT}`);
/** Hearth's own dependencies that its workers load, named so an app's Vite finds them through Hearth. */
const WORKER_DEPS = ['idb', '@noble/hashes/hmac.js', '@noble/hashes/sha2.js', '@noble/hashes/utils.js'].map((dep) =>
  INSTALLED ? `hearth > ${dep}` : dep,
);
const DEVTOOLS_ENTRY = path.join(HEARTH_ROOT, `src/devtools/main${EXT}`);
/** The devtools page's UI libraries, pre-bundled up front so its first visit needs no reload. */
const DEVTOOLS_DEPS = ['preact', 'preact/hooks', 'htm', 'uplot'].map((dep) => (INSTALLED ? `hearth > ${dep}` : dep));
/** Where the devtools page is served, under the app's base. */
export const DEVTOOLS_PATH = '__hearth/';

/** The devtools page: one element and the entry module (which renders everything). */
function devtoolsHtml(entryUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Hearth DevTools</title></head>
<body><div id="app"></div><script type="module" src="${entryUrl}"></script></body></html>
`;
}

/**
 * A module's URL as Vite serves it: root-relative inside the root, `/@fs/…`
 * outside. It must be exactly the URL the app's own imports of Hearth get, or
 * the devtools would start a second coordinator (a SharedWorker is one per
 * script URL).
 */
function devUrl(root: string, base: string, file: string): string {
  const relative = path.relative(root, file);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return `${base}${relative.split(path.sep).join('/')}`;
  return `${base}@fs${file.split(path.sep).join('/')}`;
}

/** The dev-only badge in the app's own pages: a link to the devtools. */
function badgeScript(href: string): string {
  return `(() => {
  if (document.getElementById('hearth-devtools-badge')) return;
  const a = document.createElement('a');
  a.id = 'hearth-devtools-badge'; a.href = ${JSON.stringify(href)}; a.target = '_blank'; a.rel = 'noopener';
  a.textContent = 'Hearth DevTools'; a.title = 'Open Hearth DevTools';
  a.style.cssText = 'position:fixed;right:8px;bottom:8px;z-index:2147483647;font:12px system-ui,sans-serif;padding:3px 8px;border-radius:10px;background:#171c22;color:#ff7a3d;text-decoration:none;opacity:.8;border:1px solid #2a323c';
  const add = () => document.body.appendChild(a);
  document.body ? add() : addEventListener('DOMContentLoaded', add);
})();`;
}

interface AppState {
  configPath: string;
  /** The one normalised record every context reads. */
  config: NormalizedConfig;
  /** Absolute path of the Worker's main module, if the config names one. */
  main: string | undefined;
  version: AppVersion;
  base: string;
  /** Files the edge precaches (build only). */
  precache: string[];
  dev: boolean;
}

function newVersion(): AppVersion {
  return { id: randomUUID(), builtAt: Date.now() };
}

function readApp(root: string, options: HearthPluginOptions, dev: boolean): Pick<AppState, 'configPath' | 'config' | 'main'> {
  const env = options.env ?? (process.env.CLOUDFLARE_ENV || undefined);
  const { path: configPath, config } = readWranglerConfig(findWranglerConfig(root, options.config), {
    ...(env ? { env } : {}),
    // Secrets from .dev.vars are for local development, as in wrangler: a build never embeds them.
    devVars: dev,
  });
  // `main` after the environment is applied (an environment may name its own).
  const main = config.main !== undefined ? path.resolve(path.dirname(configPath), config.main) : undefined;
  return { configPath, config, main };
}

/** Resolves and loads the two virtual modules; shared by the page, worker and edge builds. */
function virtualModules(state: () => AppState): Plugin {
  return {
    name: 'hearth:virtual-modules',
    resolveId(id) {
      if (id === APP_ID || id === CONFIG_ID) return `\0${id}`;
      return null;
    },
    load(id) {
      const app = state();
      if (id === `\0${APP_ID}`) {
        return app.main
          ? `import * as app from ${JSON.stringify(app.main)};\nexport default app;\n`
          : 'export default null;\n';
      }
      if (id === `\0${CONFIG_ID}`) {
        // A dev edge URL carries the version, so an edit registers a new service worker.
        const edgeUrl = `${app.base}${EDGE_FILE}${app.dev ? `?v=${app.version.id}` : ''}`;
        return [
          `export const config = ${JSON.stringify(app.config)};`,
          `export const configPath = ${JSON.stringify(path.basename(app.configPath))};`,
          `export const version = ${JSON.stringify(app.version)};`,
          `export const edgeUrl = ${JSON.stringify(edgeUrl)};`,
          `export const scope = ${JSON.stringify(app.base)};`,
          `export const precache = ${JSON.stringify(app.precache)};`,
        ].join('\n');
      }
      return null;
    },
  };
}

function aliases(): Alias[] {
  return [{ find: /^cloudflare:workers$/, replacement: WORKERS_API }];
}

/** Every file under `dir`, as URL paths relative to it. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, `${prefix}${name}/`));
    else out.push(`${prefix}${name}`);
  }
  return out;
}

/** Is any of these modules part of the app's Worker code (imported, directly or not, by `main`)? */
function inAppGraph(modules: readonly ModuleNode[]): boolean {
  const seen = new Set<ModuleNode>();
  const queue = [...modules];
  while (queue.length) {
    const node = queue.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    if (node.id === `\0${APP_ID}`) return true;
    queue.push(...node.importers);
  }
  return false;
}

export default function hearth(options: HearthPluginOptions = {}): Plugin[] {
  let state: AppState | undefined;
  let resolved: ResolvedConfig;
  let edgeBuilt = false;
  /** Dev only: a new version, and every page reloads into it. */
  let reloadApp: () => void = () => {};
  const current = () => {
    if (!state) throw new Error('hearth(): the config was not read yet');
    return state;
  };

  const main: Plugin = {
    name: 'hearth',
    enforce: 'pre',
    config(user, env) {
      const root = path.resolve(user.root ?? process.cwd());
      // In a build, the devtools page is one more HTML entry, only when asked for: the app's bundle never has it.
      const devtoolsInput =
        options.devtools && env.command === 'build'
          ? {
              input: {
                ...(user.build?.rolldownOptions?.input === undefined && existsSync(path.join(root, 'index.html'))
                  ? { index: path.join(root, 'index.html') }
                  : {}),
                'hearth-devtools': path.join(root, DEVTOOLS_PATH, 'index.html'),
              },
            }
          : undefined;
      return {
        ...(devtoolsInput ? { build: { rolldownOptions: devtoolsInput } } : {}),
        resolve: { alias: aliases() },
        optimizeDeps: {
          // Hearth is served as it is: pre-bundling would move its files away from the
          // worker entries its `new URL(…, import.meta.url)` name (and `cloudflare:workers`
          // is one of its files, found only when a worker loads the app). sqlite-wasm
          // finds its .wasm next to its own module the same way.
          exclude: ['hearth', 'cloudflare:workers', '@sqlite.org/sqlite-wasm'],
          // Found only once a worker loads them; listing them spares the first visit a reload.
          include: [...WORKER_DEPS, ...DEVTOOLS_DEPS],
        },
        worker: { format: 'es', plugins: () => [virtualModules(current)] },
        server: { fs: { allow: [searchForWorkspaceRoot(root), HEARTH_ROOT] } },
      };
    },
    configResolved(config) {
      resolved = config;
      // A bad config fails here: at `vite` and at `vite build`, naming the file and the key.
      state = {
        ...readApp(config.root, options, config.command === 'serve'),
        version: newVersion(),
        base: config.base,
        precache: [],
        dev: config.command === 'serve',
      };
    },
    configureServer(server) {
      const app = current();
      server.watcher.add(app.configPath);
      const configDir = path.dirname(app.configPath);
      const isDevVars = (file: string) => path.dirname(path.resolve(file)) === configDir && path.basename(file).startsWith('.dev.vars');
      server.watcher.add(path.join(configDir, '.dev.vars*'));
      reloadApp = () => {
        app.version = newVersion();
        const node = server.moduleGraph.getModuleById(`\0${CONFIG_ID}`);
        if (node) server.moduleGraph.invalidateModule(node);
        server.ws.send({ type: 'full-reload' });
      };
      server.watcher.on('change', (file) => {
        if (path.resolve(file) !== app.configPath && !isDevVars(file)) return;
        try {
          Object.assign(app, readApp(resolved.root, options, true));
          reloadApp();
        } catch (error) {
          server.config.logger.error(String((error as Error).message));
        }
      });
      // The devtools page, for any app under `vite` (dev).
      server.middlewares.use((req, res, next) => {
        const url = req.url?.split('?')[0];
        if (url !== `${app.base}${DEVTOOLS_PATH}` && url !== `${app.base}${DEVTOOLS_PATH}index.html`) return next();
        const entry = devUrl(resolved.root, app.base, DEVTOOLS_ENTRY);
        server.transformIndexHtml(req.url!, devtoolsHtml(entry)).then(
          (html) => {
            res.setHeader('Content-Type', 'text/html');
            res.setHeader('Cache-Control', 'no-cache');
            res.end(html);
          },
          (error: unknown) => next(error),
        );
      });
      // The edge must be served from the app's root so its scope can cover the app.
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== `${app.base}${EDGE_FILE}`) return next();
        res.setHeader('Content-Type', 'text/javascript');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(`import ${JSON.stringify(`${app.base}@fs${EDGE_ENTRY}`)};\n`);
      });
    },
    // The devtools page of a build (`devtools: true`) has no file of its own: it is made here.
    resolveId(id) {
      if (options.devtools && id === path.join(resolved?.root ?? '', DEVTOOLS_PATH, 'index.html')) return id;
      return null;
    },
    load(id) {
      if (!options.devtools || resolved.command !== 'build' || id !== path.join(resolved.root, DEVTOOLS_PATH, 'index.html')) return null;
      return devtoolsHtml(devUrl(resolved.root, '/', DEVTOOLS_ENTRY));
    },
    transformIndexHtml(html, ctx) {
      // The badge, in dev only (and not on the devtools page itself).
      if (!ctx.server || ctx.path.includes(DEVTOOLS_PATH)) return html;
      return [{ tag: 'script', children: badgeScript(`${current().base}${DEVTOOLS_PATH}`), injectTo: 'body' }];
    },
    handleHotUpdate(ctx) {
      // An edit to Worker code is a new deployment: objects reset and pages reload with the new version.
      const app = current();
      const touchesApp =
        inAppGraph(ctx.modules) ||
        (app.main !== undefined && ctx.modules.length === 0 && ctx.file.startsWith(path.dirname(app.main) + path.sep));
      if (!touchesApp) return;
      reloadApp();
      return [];
    },
    async closeBundle() {
      if (resolved.command !== 'build' || edgeBuilt || resolved.build.ssr) return;
      edgeBuilt = true;
      const app = current();
      const outDir = path.resolve(resolved.root, resolved.build.outDir);
      app.precache = listFiles(outDir)
        .filter((f) => f !== EDGE_FILE && !f.endsWith('.map'))
        .map((f) => `${app.base}${f}`);
      await build({
        configFile: false,
        root: resolved.root,
        base: resolved.base,
        mode: resolved.mode,
        logLevel: 'warn',
        resolve: { alias: aliases() },
        plugins: [virtualModules(current)],
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          modulePreload: false,
          sourcemap: resolved.build.sourcemap,
          rolldownOptions: {
            input: { [EDGE_FILE.replace(/\.js$/, '')]: EDGE_ENTRY },
            output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'hearth-edge-[hash].js' },
          },
        },
      });
    },
  };
  return [main, virtualModules(current)];
}

export { hearth };
