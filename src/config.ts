/**
 * The app's configuration, validated and normalised once at the boundary.
 * The input has the shape of `wrangler.jsonc` (the same file `wrangler deploy`
 * reads); everything downstream trusts the `NormalizedConfig` it produces.
 *
 * Pure and browser-safe: it runs in Node (the Vite plugin) and in the page
 * (`start()`). Every error is a `ConfigError` whose message starts with the
 * source (a file path) and names the offending key. Where wrangler has a text
 * for the same mistake, the text after the source is wrangler's.
 */

import { routePatternProblem } from './routes.ts';

export interface WranglerMigration {
  tag: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
  transferred_classes?: { from: string; from_script: string; to: string }[];
}

/** One entry of the declarative `exports` map (the 2026 alternative to `migrations`). */
export interface WranglerExport {
  type: string;
  storage?: 'sqlite' | 'legacy-kv';
  state?: 'created' | 'renamed' | 'deleted' | 'transferred' | 'expecting-transfer';
  renamed_to?: string;
  transferred_to?: string;
  transfer_from?: string;
  container?: string;
}

export interface WranglerBinding {
  name: string;
  class_name: string;
  script_name?: string;
}

export interface WranglerConfig {
  name?: string;
  main?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
  limits?: { cpu_ms?: number };
  durable_objects?: { bindings?: WranglerBinding[] };
  migrations?: WranglerMigration[];
  exports?: Record<string, WranglerExport>;
  /** Hearth's own settings. */
  hearth?: {
    idleTimeoutMs?: number;
    maxLiveObjectsPerHost?: number;
    lockTimeoutMs?: number;
    /** Paths the edge (service worker) answers with the Worker's `fetch`, e.g. `"/api/*"`. */
    routes?: string[];
  };
}

export interface NormalizedBinding {
  /** The `env` property. */
  name: string;
  className: string;
  /**
   * The namespace's unique key. `${workerName}-${className}` (as miniflare
   * derives it) for a class created here; inherited through renames; the
   * other script's `${from_script}-${from}` for a transferred class.
   */
  namespaceKey: string;
  /** SQLite-backed: `new_sqlite_classes`, a transfer, or a class no migration mentions. */
  sqlite: boolean;
}

/** One migration, in the order the config lists it, reduced to what must happen to stored data. */
export interface NormalizedMigration {
  tag: string;
  /** Namespaces whose every object's storage this migration wipes (`deleted_classes`). */
  deletedNamespaceKeys: string[];
}

/** A class that has storage after all migrations (bound or not). */
export interface NormalizedClass {
  className: string;
  /** Stable across renames and transfers: ids and storage follow the namespace, not the class name. */
  namespaceKey: string;
  sqlite: boolean;
}

export interface NormalizedConfig {
  name: string;
  /** `main` as written in the config (relative to the config file). */
  main?: string;
  /** `compatibility_date` as written (`YYYY-MM-DD`), if present. */
  compatibilityDate?: string;
  /** `compatibility_flags` as written; Hearth does not act on them yet. */
  compatibilityFlags: string[];
  /** Path patterns the edge answers (`hearth.routes`); empty: the edge intercepts nothing. */
  routes: string[];
  classes: NormalizedClass[];
  migrations: NormalizedMigration[];
  bindings: NormalizedBinding[];
  vars: Record<string, unknown>;
  idleTimeoutMs: number;
  maxLiveObjectsPerHost: number;
  lockTimeoutMs: number;
  cpuMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIGRATION_KEYS = new Set([
  'tag',
  'new_classes',
  'new_sqlite_classes',
  'renamed_classes',
  'deleted_classes',
  'transferred_classes',
]);
const HEARTH_KEYS = new Set(['routes', 'idleTimeoutMs', 'maxLiveObjectsPerHost', 'lockTimeoutMs']);

export function normalizeConfig(input: WranglerConfig, source = 'config'): NormalizedConfig {
  const fail: Fail = (message) => {
    throw new ConfigError(`${source}: ${message}`);
  };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) fail('expected an object');

  const name = input.name ?? 'worker';
  if (typeof name !== 'string') fail(`Expected "name" to be of type string but got ${show(name)}.`);
  if (input.main !== undefined && typeof input.main !== 'string') {
    fail(`Expected "main" to be of type string but got ${show(input.main)}.`);
  }
  const compatibilityDate: string | undefined = input.compatibility_date;
  if (compatibilityDate !== undefined && !isCompatibilityDate(compatibilityDate)) {
    fail(`"compatibility_date" must be a date written YYYY-MM-DD but got ${show(compatibilityDate)}.`);
  }
  // wrangler rejects a non-array here, but Hearth does not act on flags: ignore what it cannot use.
  const compatibilityFlags = Array.isArray(input.compatibility_flags)
    ? input.compatibility_flags.filter((f): f is string => typeof f === 'string')
    : [];

  if (input.exports !== undefined && input.migrations !== undefined) {
    fail(
      '"exports" and "migrations" cannot be combined: declare Durable Object classes with one or the other',
    );
  }
  const walk =
    input.exports !== undefined
      ? walkExports(input.exports, name, fail)
      : walkMigrations(validateMigrations(input.migrations, fail), name, fail);

  const bindings = normalizeBindings(input.durable_objects, name, walk, fail);
  // Bound classes no migration mentions still get storage (wrangler dev allows it).
  const classes = [...walk.alive.values()];
  for (const b of bindings) {
    if (!walk.alive.has(b.className) && !classes.some((c) => c.className === b.className)) {
      classes.push({ className: b.className, namespaceKey: b.namespaceKey, sqlite: b.sqlite });
    }
  }

  const hearth = input.hearth ?? {};
  if (!isRecord(hearth)) fail(`Expected "hearth" to be of type object but got ${show(hearth)}.`);
  const unknownHearth = Object.keys(hearth).filter((k) => !HEARTH_KEYS.has(k));
  if (unknownHearth.length > 0) {
    fail(`Unexpected fields found in hearth field: ${unknownHearth.map((k) => `"${k}"`).join(',')}`);
  }
  const routes = hearth.routes ?? [];
  if (!Array.isArray(routes)) fail(`Expected "hearth.routes" to be an array of strings but got ${show(routes)}`);
  for (const [i, pattern] of routes.entries()) {
    const problem = routePatternProblem(pattern);
    if (problem) fail(`"hearth.routes[${i}]" ${problem}`);
  }

  const positive = (value: unknown, key: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !(value > 0)) fail(`"${key}" must be a positive number but got ${show(value)}`);
    return value as number;
  };
  const limits = input.limits ?? {};
  if (!isRecord(limits)) fail(`Expected "limits" to be of type object but got ${show(limits)}.`);

  return {
    name,
    ...(input.main !== undefined ? { main: input.main } : {}),
    ...(compatibilityDate !== undefined ? { compatibilityDate } : {}),
    compatibilityFlags,
    routes: [...routes],
    classes,
    migrations: walk.migrations,
    bindings,
    vars: normalizeVars(input.vars, fail),
    idleTimeoutMs: positive(hearth.idleTimeoutMs, 'hearth.idleTimeoutMs', 10_000),
    maxLiveObjectsPerHost: positive(hearth.maxLiveObjectsPerHost, 'hearth.maxLiveObjectsPerHost', 64),
    lockTimeoutMs: positive(hearth.lockTimeoutMs, 'hearth.lockTimeoutMs', 10_000),
    cpuMs: positive(limits.cpu_ms, 'limits.cpu_ms', 30_000),
  };
}

type Fail = (message: string) => never;

/** What happened to a class that no longer exists, for a binding that still names it. */
type Gone = { how: 'deleted'; by: string } | { how: 'renamed'; by: string; to: string };

interface Walk {
  /** Classes alive after the last migration, by name, in order of appearance. */
  alive: Map<string, NormalizedClass>;
  gone: Map<string, Gone>;
  migrations: NormalizedMigration[];
}

/** Shape checks, with wrangler's texts (`validateMigrations` in workers-utils). */
function validateMigrations(raw: unknown, fail: Fail): WranglerMigration[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) fail(`Expected "migrations" to be an array of objects but got ${show(raw)}`);
  const tags = new Map<string, number>();
  for (const [i, m] of (raw as unknown[]).entries()) {
    const at = `migrations[${i}]`;
    if (!isRecord(m)) fail(`Expected "${at}" to be of type object but got ${show(m)}.`);
    const migration = m as Record<string, unknown>;
    const unknown = Object.keys(migration).filter((k) => !MIGRATION_KEYS.has(k));
    // wrangler only warns here; Hearth refuses, because a misspelt key would silently skip a data change.
    if (unknown.length > 0) fail(`Unexpected fields found in ${at} field: ${unknown.map((k) => `"${k}"`).join(',')}`);
    if (migration.tag === undefined) fail(`"${at}.tag" is a required field.`);
    if (typeof migration.tag !== 'string') fail(`Expected "${at}.tag" to be of type string but got ${show(migration.tag)}.`);
    const tag = migration.tag as string;
    const first = tags.get(tag);
    if (first !== undefined) fail(`"${at}.tag" repeats the tag "${tag}" of migrations[${first}]; each tag must be unique`);
    tags.set(tag, i);
    for (const key of ['new_classes', 'new_sqlite_classes', 'deleted_classes'] as const) {
      const list = migration[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) fail(`Expected "${at}.${key}" to be an array of strings but got ${show(list)}`);
      for (const [j, c] of (list as unknown[]).entries()) {
        if (typeof c !== 'string') fail(`Expected "${at}.${key}.[${j}]" to be of type string but got ${show(c)}.`);
      }
    }
    const renamed = migration.renamed_classes;
    if (renamed !== undefined && !isArrayOf(renamed, ['from', 'to'])) {
      fail(`Expected "${at}.renamed_classes" to be an array of "{from: string, to: string}" objects but got ${show(renamed)}.`);
    }
    const transferred = migration.transferred_classes;
    if (transferred !== undefined && !isArrayOf(transferred, ['from', 'from_script', 'to'])) {
      fail(
        `Expected "${at}.transferred_classes" to be an array of "{from: string, from_script: string, to: string}" objects but got ${show(transferred)}.`,
      );
    }
  }
  return raw as WranglerMigration[];
}

/**
 * Apply the migrations in order to learn which classes exist afterwards, which
 * namespace each one's storage lives in, and which namespaces each tag wipes.
 *
 * Within one migration the steps run in wrangler's order (its
 * `getDurableObjectClassNameToUseSQLiteMap`): deleted, renamed, then
 * (Hearth's placement, wrangler ignores them) transferred, then new, then
 * new SQLite classes. So one migration may delete `A` and create a new `A`.
 *
 * Namespace keys never collide: a class created under a name whose key a
 * renamed class still carries (rename `A`→`B`, later a new `A`) gets
 * `${worker}-${A}@${tag}`, so the new `A` starts empty and `B` keeps the data.
 */
function walkMigrations(migrations: WranglerMigration[], worker: string, fail: Fail): Walk {
  const alive = new Map<string, NormalizedClass>();
  const gone = new Map<string, Gone>();
  const keyInUse = (key: string) => [...alive.values()].some((c) => c.namespaceKey === key);
  const normalized: NormalizedMigration[] = [];

  for (const [i, m] of migrations.entries()) {
    const at = `migrations[${i}]`;
    const deletedNamespaceKeys: string[] = [];

    for (const className of m.deleted_classes ?? []) {
      const existing = alive.get(className);
      if (!existing) {
        fail(`"${at}.deleted_classes": Cannot apply deleted_classes migration to non-existent class ${className}`);
      }
      alive.delete(className);
      gone.set(className, { how: 'deleted', by: `migration "${m.tag}"` });
      deletedNamespaceKeys.push(existing!.namespaceKey);
    }

    for (const { from, to } of m.renamed_classes ?? []) {
      const existing = alive.get(from);
      if (!existing) {
        fail(`"${at}.renamed_classes": Cannot apply renamed_classes migration to non-existent class ${from}`);
      }
      if (alive.has(to)) {
        fail(
          `"${at}.renamed_classes": Cannot rename class ${from} to ${to}: class ${to} already exists; the destination of a rename must not be created beforehand`,
        );
      }
      alive.delete(from);
      gone.set(from, { how: 'renamed', by: `migration "${m.tag}"`, to });
      gone.delete(to);
      alive.set(to, { ...existing!, className: to });
    }

    for (const { from, from_script, to } of m.transferred_classes ?? []) {
      if (from_script === worker) {
        fail(
          `"${at}.transferred_classes": Cannot transfer class ${from} from this same Worker "${worker}"; use renamed_classes`,
        );
      }
      const namespaceKey = `${from_script}-${from}`;
      if (keyInUse(namespaceKey)) {
        fail(`"${at}.transferred_classes": class ${from} of ${from_script} is transferred here twice`);
      }
      if (alive.has(to)) {
        fail(
          `"${at}.transferred_classes": Cannot transfer class ${from} from ${from_script} to ${to}: class ${to} already exists; the destination of a transfer must not be created beforehand`,
        );
      }
      // The source's backend is declared in the other script's config, which
      // Hearth never reads. SQLite is the backend of every new namespace on
      // current accounts, and Hearth's default, so a transfer lands there.
      gone.delete(to);
      alive.set(to, { className: to, namespaceKey, sqlite: true });
    }

    for (const [key, sqlite] of [
      ['new_classes', false],
      ['new_sqlite_classes', true],
    ] as const) {
      for (const className of m[key] ?? []) {
        const existing = alive.get(className);
        if (existing) {
          const why =
            sqlite && !existing.sqlite ? ' (the SQLite backend cannot be switched on for an existing class)' : '';
          fail(`"${at}.${key}": Cannot apply ${key} migration to existing class ${className}${why}`);
        }
        let namespaceKey = `${worker}-${className}`;
        if (keyInUse(namespaceKey)) namespaceKey = `${namespaceKey}@${m.tag}`;
        gone.delete(className);
        alive.set(className, { className, namespaceKey, sqlite });
      }
    }

    normalized.push({ tag: m.tag, deletedNamespaceKeys });
  }
  return { alive, gone, migrations: normalized };
}

/**
 * Declarative `exports`: the end state, not the steps. Only the live entries
 * matter to Hearth: a renamed-to class inherits its source's namespace; an
 * `expecting-transfer` class takes the other script's. A `deleted` entry has
 * no tag to wipe at, so Hearth leaves that namespace's data in place.
 */
function walkExports(raw: unknown, worker: string, fail: Fail): Walk {
  if (!isRecord(raw)) fail(`Expected "exports" to be of type object but got ${show(raw)}.`);
  const entries = Object.entries(raw as Record<string, unknown>).filter(
    (e): e is [string, WranglerExport] => isRecord(e[1]) && e[1].type === 'durable-object',
  );
  const inheritedFrom = new Map<string, string>();
  const gone = new Map<string, Gone>();
  for (const [className, e] of entries) {
    if (e.state === 'renamed') {
      if (typeof e.renamed_to !== 'string') {
        fail(`"exports.${className}.renamed_to" must name the class ${className} was renamed to`);
      }
      inheritedFrom.set(e.renamed_to!, className);
      gone.set(className, { how: 'renamed', by: `"exports.${className}"`, to: e.renamed_to! });
    } else if (e.state === 'deleted' || e.state === 'transferred') {
      gone.set(className, { how: 'deleted', by: `"exports.${className}"` });
    }
  }
  const alive = new Map<string, NormalizedClass>();
  for (const [className, e] of entries) {
    if (e.state !== undefined && e.state !== 'created' && e.state !== 'expecting-transfer') continue;
    let origin = className;
    for (let seen = 0; inheritedFrom.has(origin) && seen < entries.length; seen++) origin = inheritedFrom.get(origin)!;
    const namespaceKey =
      e.state === 'expecting-transfer' && typeof e.transfer_from === 'string'
        ? `${e.transfer_from}-${className}`
        : `${worker}-${origin}`;
    // wrangler: storage "sqlite" means SQLite, anything else the legacy KV backend.
    alive.set(className, { className, namespaceKey, sqlite: e.storage === 'sqlite' });
  }
  return { alive, gone, migrations: [] };
}

function normalizeBindings(
  raw: WranglerConfig['durable_objects'],
  worker: string,
  walk: Walk,
  fail: Fail,
): NormalizedBinding[] {
  if (raw !== undefined && !isRecord(raw)) fail(`Expected "durable_objects" to be of type object but got ${show(raw)}.`);
  const list: unknown = raw?.bindings ?? [];
  if (!Array.isArray(list)) fail(`Expected "durable_objects.bindings" to be an array of objects but got ${show(list)}`);
  const seen = new Set<string>();
  const bindings: NormalizedBinding[] = [];
  for (const [i, b] of (list as WranglerBinding[]).entries()) {
    const at = `durable_objects.bindings[${i}]`;
    if (!b || typeof b.name !== 'string' || !b.name) fail(`"${at}.name" must be a non-empty string`);
    if (typeof b.class_name !== 'string' || !b.class_name) fail(`"${at}.class_name" must be a non-empty string`);
    if (b.script_name !== undefined) fail(`"${at}.script_name" binds another Worker, which Hearth does not run`);
    if (seen.has(b.name)) fail(`binding "${b.name}" is declared twice`);
    seen.add(b.name);

    const cls = walk.alive.get(b.class_name);
    if (cls) {
      bindings.push({ name: b.name, className: cls.className, namespaceKey: cls.namespaceKey, sqlite: cls.sqlite });
      continue;
    }
    const fate = walk.gone.get(b.class_name);
    if (fate?.how === 'deleted') {
      fail(`"${at}.class_name": binding "${b.name}" names class ${b.class_name}, which ${fate.by} deleted`);
    }
    if (fate?.how === 'renamed') {
      const now = currentName(fate.to, walk);
      const hint = now ? `; bind "${now}" instead` : ', which no longer exists';
      fail(
        `"${at}.class_name": binding "${b.name}" names class ${b.class_name}, which ${fate.by} renamed to ${fate.to}${hint}`,
      );
    }
    // No migration mentions the class: wrangler dev still gives it (SQLite) storage.
    bindings.push({ name: b.name, className: b.class_name, namespaceKey: `${worker}-${b.class_name}`, sqlite: true });
  }
  return bindings;
}

/** Follow a chain of renames (`A`→`B`→`C`) to the class that exists now, if any. */
function currentName(className: string, walk: Walk): string | undefined {
  for (let name = className, steps = 0; steps <= walk.gone.size; steps++) {
    if (walk.alive.has(name)) return name;
    const fate = walk.gone.get(name);
    if (fate?.how !== 'renamed') return undefined;
    name = fate.to;
  }
  return undefined;
}

/** `vars` become plain `env` values: text, numbers, booleans or JSON (wrangler's rule). */
function normalizeVars(raw: unknown, fail: Fail): Record<string, unknown> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) fail(`Expected "vars" to be of type object but got ${show(raw)}.`);
  const vars: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const ok = ['string', 'number', 'boolean'].includes(typeof value) || (typeof value === 'object' && value !== null);
    if (!ok) fail(`"vars.${key}" must be a string, number, boolean or JSON object or array but got ${show(value)}`);
    vars[key] = value;
  }
  return vars;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isArrayOf(value: unknown, stringKeys: string[]): boolean {
  return (
    Array.isArray(value) &&
    value.every((item) => isRecord(item) && stringKeys.every((k) => typeof item[k] === 'string'))
  );
}

function isCompatibilityDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
