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
import { isRecord, show, validateMigrations, walkExports, walkMigrations, type Fail, type Walk } from './config-migrations.ts';
import { selectEnvironment } from './config-environments.ts';
import { routePatternProblem } from './routes.ts';
import { unsupportedBindings } from './unsupported-bindings.ts';
import type {
  NormalizedBinding,
  NormalizedConfig,
  UnsupportedBinding,
  WranglerBinding,
  WranglerConfig,
} from './config-record.ts';

export type {
  NormalizedBinding,
  NormalizedClass,
  NormalizedConfig,
  NormalizedMigration,
  UnsupportedBinding,
  WranglerBinding,
  WranglerConfig,
  WranglerExport,
  WranglerMigration,
} from './config-record.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `hearth.maxLiveObjectsPerHost` unless set (on WebKit the page lowers it: host/access-handle-budget.ts). */
export const DEFAULT_MAX_LIVE_OBJECTS_PER_HOST = 64;

const HEARTH_KEYS = new Set(['routes', 'idleTimeoutMs', 'maxLiveObjectsPerHost', 'lockTimeoutMs', 'coordinator', 'durability', 'pitrWindowMs', 'pitrMaxBytes', 'metadata_boundary']);
const BOUNDARIES = ['global', 'eu', 'us'];

export interface NormalizeOptions {
  /** The `[env.<name>]` environment to read (wrangler's `--env`); see config-environments.ts. */
  env?: string;
  /** Secrets from `.dev.vars` (strings): they join `vars` and win over them, as in `wrangler dev`. */
  devVars?: Record<string, string>;
}

export function normalizeConfig(raw: WranglerConfig, source = 'config', options: NormalizeOptions = {}): NormalizedConfig {
  const fail: Fail = (message) => {
    throw new ConfigError(`${source}: ${message}`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('expected an object');
  const input = selectEnvironment(raw, options.env, fail);

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

  const settings = normalizeHearth(input.hearth ?? {}, fail);

  const limits = input.limits ?? {};
  if (!isRecord(limits)) fail(`Expected "limits" to be of type object but got ${show(limits)}.`);

  return {
    name,
    ...(input.main !== undefined ? { main: input.main } : {}),
    ...(compatibilityDate !== undefined ? { compatibilityDate } : {}),
    compatibilityFlags,
    classes,
    migrations: walk.migrations,
    bindings,
    ...withUnsupported(unsupportedBindings(input as Record<string, unknown>), bindings, fail),
    ...(options.env ? { environment: options.env } : {}),
    vars: { ...normalizeVars(input.vars, fail), ...options.devVars },
    ...settings,
    ...(input.observability !== undefined ? { observability: normalizeObservability(input.observability, fail) } : {}),
    cpuMs: positive(limits.cpu_ms, 'limits.cpu_ms', 30_000, fail),
  };
}

/**
 * The record with Hearth's own settings replaced by `overrides` (the
 * `hearth` option of `start()`), checked exactly as the `hearth` key of the
 * file is. The page, the edge and the object workers all take their record
 * from here, so an override reaches each of them alike.
 */
export function withHearthSettings(
  config: NormalizedConfig,
  overrides: WranglerConfig['hearth'] | undefined,
  source = 'config',
): NormalizedConfig {
  if (overrides === undefined) return config;
  const fail: Fail = (message) => {
    throw new ConfigError(`${source}: ${message}`);
  };
  if (!isRecord(overrides)) fail(`Expected "hearth" to be of type object but got ${show(overrides)}.`);
  const { routes, idleTimeoutMs, maxLiveObjectsPerHost, lockTimeoutMs, coordinator, durability, pitrWindowMs, pitrMaxBytes, metadataBoundary } = config;
  return {
    ...config,
    ...normalizeHearth(
      {
        routes,
        idleTimeoutMs,
        maxLiveObjectsPerHost,
        lockTimeoutMs,
        ...(coordinator ? { coordinator } : {}),
        durability,
        pitrWindowMs,
        pitrMaxBytes,
        ...(metadataBoundary ? { metadata_boundary: metadataBoundary } : {}),
        ...overrides,
      },
      fail,
    ),
  };
}

/** `observability`: `enabled` (default true once the key is there) and `head_sampling_rate` (0 to 1, default 1). */
function normalizeObservability(value: unknown, fail: Fail): { enabled: boolean; headSamplingRate: number } {
  if (!isRecord(value)) fail(`Expected "observability" to be of type object but got ${show(value)}.`);
  const { enabled = true, head_sampling_rate: rate = 1 } = value as { enabled?: unknown; head_sampling_rate?: unknown };
  if (typeof enabled !== 'boolean') fail(`Expected "observability.enabled" to be of type boolean but got ${show(enabled)}.`);
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    fail(`Expected "observability.head_sampling_rate" to be a number between 0 and 1 but got ${show(rate)}.`);
  }
  return { enabled: enabled as boolean, headSamplingRate: rate as number };
}

type HearthSettings = Pick<
  NormalizedConfig,
  'routes' | 'idleTimeoutMs' | 'maxLiveObjectsPerHost' | 'lockTimeoutMs' | 'coordinator' | 'durability' | 'pitrWindowMs' | 'pitrMaxBytes' | 'metadataBoundary'
>;

/** The `hearth` key: Hearth's own settings, checked, with their defaults. */
function normalizeHearth(hearth: unknown, fail: Fail): HearthSettings {
  if (!isRecord(hearth)) fail(`Expected "hearth" to be of type object but got ${show(hearth)}.`);
  const settings = hearth as NonNullable<WranglerConfig['hearth']>;
  const unknownHearth = Object.keys(settings).filter((k) => !HEARTH_KEYS.has(k));
  if (unknownHearth.length > 0) {
    fail(`Unexpected fields found in hearth field: ${unknownHearth.map((k) => `"${k}"`).join(',')}`);
  }
  const routes = settings.routes ?? [];
  if (!Array.isArray(routes)) fail(`Expected "hearth.routes" to be an array of strings but got ${show(routes)}`);
  for (const [i, pattern] of routes.entries()) {
    const problem = routePatternProblem(pattern);
    if (problem) fail(`"hearth.routes[${i}]" ${problem}`);
  }
  const boundary = settings.metadata_boundary;
  if (boundary !== undefined && !BOUNDARIES.includes(boundary)) {
    fail(`Expected "hearth.metadata_boundary" to be one of ${BOUNDARIES.map((b) => `"${b}"`).join(', ')} but got ${show(boundary)}.`);
  }
  return {
    ...(boundary !== undefined ? { metadataBoundary: boundary } : {}),
    routes: [...routes],
    idleTimeoutMs: positive(settings.idleTimeoutMs, 'hearth.idleTimeoutMs', 10_000, fail),
    maxLiveObjectsPerHost: positive(settings.maxLiveObjectsPerHost, 'hearth.maxLiveObjectsPerHost', DEFAULT_MAX_LIVE_OBJECTS_PER_HOST, fail),
    lockTimeoutMs: positive(settings.lockTimeoutMs, 'hearth.lockTimeoutMs', 10_000, fail),
    pitrWindowMs: positive(settings.pitrWindowMs, 'hearth.pitrWindowMs', 30 * 24 * 60 * 60 * 1000, fail),
    pitrMaxBytes: positive(settings.pitrMaxBytes, 'hearth.pitrMaxBytes', 32 * 1024 * 1024, fail),
    ...(settings.coordinator !== undefined
      ? { coordinator: oneOf(settings.coordinator, 'hearth.coordinator', ['shared-worker', 'leader-tab'] as const, fail) }
      : {}),
    durability: settings.durability === undefined ? 'normal' : oneOf(settings.durability, 'hearth.durability', ['normal', 'full'] as const, fail),
  };
}

function oneOf<T extends string>(value: unknown, key: string, allowed: readonly T[], fail: Fail): T {
  if (!allowed.includes(value as T)) fail(`"${key}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')} but got ${show(value)}`);
  return value as T;
}

function positive(value: unknown, key: string, fallback: number, fail: Fail): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) fail(`"${key}" must be a positive number but got ${show(value)}`);
  return value as number;
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

function isCompatibilityDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** Unsupported bindings, each name used once across every binding (wrangler refuses duplicates too). */
function withUnsupported(
  list: UnsupportedBinding[],
  bindings: NormalizedBinding[],
  fail: Fail,
): { unsupportedBindings?: UnsupportedBinding[] } {
  const taken = new Set(bindings.map((b) => b.name));
  for (const b of list) {
    if (taken.has(b.name)) fail(`binding "${b.name}" is declared twice`);
    taken.add(b.name);
  }
  return list.length ? { unsupportedBindings: list } : {};
}
