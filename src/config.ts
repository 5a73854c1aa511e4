/**
 * The app's configuration, validated and normalised once at the boundary.
 * The input has the shape of `wrangler.jsonc` (the same file `wrangler deploy`
 * reads); everything downstream trusts the `NormalizedConfig` it produces.
 */

export interface WranglerConfig {
  name?: string;
  main?: string;
  compatibility_date?: string;
  vars?: Record<string, unknown>;
  limits?: { cpu_ms?: number };
  durable_objects?: { bindings?: { name: string; class_name: string; script_name?: string }[] };
  migrations?: {
    tag: string;
    new_classes?: string[];
    new_sqlite_classes?: string[];
    renamed_classes?: { from: string; to: string }[];
    deleted_classes?: string[];
    transferred_classes?: { from: string; from_script: string; to: string }[];
  }[];
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
  /** `${workerName}-${className}`: the namespace's unique key, as miniflare derives it. */
  namespaceKey: string;
  /** Declared with `new_sqlite_classes` (or not declared at all: SQLite is the default today). */
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

export function normalizeConfig(input: WranglerConfig, source = 'config'): NormalizedConfig {
  if (input === null || typeof input !== 'object') throw new ConfigError(`${source}: expected an object`);
  const name = input.name ?? 'worker';
  if (typeof name !== 'string') throw new ConfigError(`${source}: "name" must be a string`);

  const kvClasses = new Set<string>();
  for (const [i, m] of (input.migrations ?? []).entries()) {
    for (const c of m.new_classes ?? []) kvClasses.add(c);
    for (const c of m.new_sqlite_classes ?? []) kvClasses.delete(c);
    if (typeof m.tag !== 'string') throw new ConfigError(`${source}: "migrations[${i}].tag" must be a string`);
  }

  const seen = new Set<string>();
  const bindings: NormalizedBinding[] = [];
  for (const [i, b] of (input.durable_objects?.bindings ?? []).entries()) {
    if (!b || typeof b.name !== 'string' || !b.name) {
      throw new ConfigError(`${source}: "durable_objects.bindings[${i}].name" must be a non-empty string`);
    }
    if (typeof b.class_name !== 'string' || !b.class_name) {
      throw new ConfigError(`${source}: "durable_objects.bindings[${i}].class_name" must be a non-empty string`);
    }
    if (b.script_name !== undefined) {
      throw new ConfigError(
        `${source}: "durable_objects.bindings[${i}].script_name" binds another Worker, which Hearth does not run`,
      );
    }
    if (seen.has(b.name)) throw new ConfigError(`${source}: binding "${b.name}" is declared twice`);
    seen.add(b.name);
    bindings.push({
      name: b.name,
      className: b.class_name,
      namespaceKey: `${name}-${b.class_name}`,
      sqlite: !kvClasses.has(b.class_name),
    });
  }

  const positive = (value: unknown, key: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !(value > 0)) throw new ConfigError(`${source}: "${key}" must be a positive number`);
    return value;
  };

  return {
    name,
    ...(typeof input.main === 'string' ? { main: input.main } : {}),
    routes: [...(input.hearth?.routes ?? [])],
    classes: bindings.map(({ className, namespaceKey, sqlite }) => ({ className, namespaceKey, sqlite })),
    migrations: (input.migrations ?? []).map((m) => ({ tag: m.tag, deletedNamespaceKeys: [] })),
    bindings,
    vars: { ...(input.vars ?? {}) },
    idleTimeoutMs: positive(input.hearth?.idleTimeoutMs, 'hearth.idleTimeoutMs', 10_000),
    maxLiveObjectsPerHost: positive(input.hearth?.maxLiveObjectsPerHost, 'hearth.maxLiveObjectsPerHost', 64),
    lockTimeoutMs: positive(input.hearth?.lockTimeoutMs, 'hearth.lockTimeoutMs', 10_000),
    cpuMs: positive(input.limits?.cpu_ms, 'limits.cpu_ms', 30_000),
  };
}
