/**
 * Durable Object migrations, as wrangler validates them and as Cloudflare
 * applies them: walked in order to find which classes exist afterwards, under
 * which namespace (renames and transfers keep theirs, so ids and storage
 * follow), and which namespaces each migration wipes. Also the declarative
 * `exports`, which describe the same end state without a history.
 */
import type { NormalizedClass, NormalizedMigration, WranglerExport, WranglerMigration } from './config-record.ts';

export const MIGRATION_KEYS = new Set([
  'tag',
  'new_classes',
  'new_sqlite_classes',
  'renamed_classes',
  'deleted_classes',
  'transferred_classes',
]);

export type Fail = (message: string) => never;

/** What happened to a class that no longer exists, for a binding that still names it. */
export type Gone = { how: 'deleted'; by: string } | { how: 'renamed'; by: string; to: string };

export interface Walk {
  /** Classes alive after the last migration, by name, in order of appearance. */
  alive: Map<string, NormalizedClass>;
  gone: Map<string, Gone>;
  migrations: NormalizedMigration[];
}

/** Shape checks, with wrangler's texts (`validateMigrations` in workers-utils). */
export function validateMigrations(raw: unknown, fail: Fail): WranglerMigration[] {
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
export function walkMigrations(migrations: WranglerMigration[], worker: string, fail: Fail): Walk {
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
export function walkExports(raw: unknown, worker: string, fail: Fail): Walk {
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

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isArrayOf(value: unknown, stringKeys: string[]): boolean {
  return (
    Array.isArray(value) &&
    value.every((item) => isRecord(item) && stringKeys.every((k) => typeof item[k] === 'string'))
  );
}

export function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
