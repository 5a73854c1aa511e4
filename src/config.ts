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
  }[];
  /** Hearth's own settings. */
  hearth?: { idleTimeoutMs?: number; maxLiveObjectsPerHost?: number; lockTimeoutMs?: number };
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

export interface NormalizedConfig {
  name: string;
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
    bindings,
    vars: { ...(input.vars ?? {}) },
    idleTimeoutMs: positive(input.hearth?.idleTimeoutMs, 'hearth.idleTimeoutMs', 10_000),
    maxLiveObjectsPerHost: positive(input.hearth?.maxLiveObjectsPerHost, 'hearth.maxLiveObjectsPerHost', 64),
    lockTimeoutMs: positive(input.hearth?.lockTimeoutMs, 'hearth.lockTimeoutMs', 10_000),
    cpuMs: positive(input.limits?.cpu_ms, 'limits.cpu_ms', 30_000),
  };
}
