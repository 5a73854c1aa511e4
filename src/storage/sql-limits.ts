/**
 * SQLite limits (`sqlite3_limit`) for an object's connection: the one table of
 * them, applied once when the database is opened (`sql-connection.ts`).
 *
 * Hearth follows the documented production limits (DO-API.md §5.4); the
 * `workerd` column records what local workerd (`util/sqlite.c++`,
 * `setupSecurity`) sets, so the table can be switched to mimic local dev.
 * Where they differ, the docs win: production is what an app meets once
 * deployed.
 *
 * Typical errors (SQLite's own texts, in Cloudflare's format, `sql-errors.ts`):
 *  - columns:        `too many columns on wide: SQLITE_ERROR`
 *  - length:         `string or blob too big: SQLITE_TOOBIG`
 *  - SQL length:     `statement too long: SQLITE_TOOBIG`
 *  - variables:      `too many SQL variables at offset 207: SQLITE_ERROR`
 *  - function args:  `too many arguments on function max at offset 7: SQLITE_ERROR`
 *  - LIKE pattern:   `LIKE or GLOB pattern too complex: SQLITE_ERROR`
 *  - compound terms: `too many terms in compound SELECT: SQLITE_ERROR`
 *  - attached:       ATTACH is refused earlier by the authorizer (`not authorized: SQLITE_AUTH`)
 */

/** SQLite's `SQLITE_LIMIT_*` codes (sqlite3.h). */
export const SQLITE_LIMIT = {
  LENGTH: 0,
  SQL_LENGTH: 1,
  COLUMN: 2,
  EXPR_DEPTH: 3,
  COMPOUND_SELECT: 4,
  VDBE_OP: 5,
  FUNCTION_ARG: 6,
  ATTACHED: 7,
  LIKE_PATTERN_LENGTH: 8,
  VARIABLE_NUMBER: 9,
  TRIGGER_DEPTH: 10,
  WORKER_THREADS: 11,
} as const;

export type SqlLimitName = keyof typeof SQLITE_LIMIT;

export interface SqlLimit {
  name: SqlLimitName;
  /** Documented production value (what Hearth applies). */
  production: number;
  /** What local workerd sets (`setupSecurity` in `util/sqlite.c++`). */
  workerd: number;
  what: string;
}

/**
 * Every limit Hearth sets. MB and KB are decimal here, as in Cloudflare's docs
 * (the 100 KB statement limit is workerd's 100,000 bytes).
 */
export const SQL_LIMITS: readonly SqlLimit[] = [
  { name: 'COLUMN', production: 100, workerd: 100, what: 'columns per table (and per result, index, ORDER BY…)' },
  { name: 'LENGTH', production: 2_000_000, workerd: 4 * 1024 * 1024, what: 'bytes in a string, BLOB or table row' },
  { name: 'SQL_LENGTH', production: 100_000, workerd: 100_000, what: 'bytes in one SQL statement' },
  { name: 'VARIABLE_NUMBER', production: 100, workerd: 100, what: 'bound parameters per statement (and the largest ?NNN)' },
  { name: 'FUNCTION_ARG', production: 32, workerd: 127, what: 'arguments to one SQL function call' },
  { name: 'LIKE_PATTERN_LENGTH', production: 50, workerd: 50, what: 'bytes in a LIKE or GLOB pattern' },
  { name: 'COMPOUND_SELECT', production: 5, workerd: 5, what: 'terms in a compound SELECT (UNION, INTERSECT…)' },
  { name: 'EXPR_DEPTH', production: 100, workerd: 100, what: 'depth of an expression tree' },
  { name: 'TRIGGER_DEPTH', production: 10, workerd: 10, what: 'depth of recursive trigger firing' },
  { name: 'VDBE_OP', production: 25_000, workerd: 25_000, what: 'instructions in one prepared statement (more: out of memory)' },
  { name: 'ATTACHED', production: 0, workerd: 0, what: 'attached databases' },
  { name: 'WORKER_THREADS', production: 0, workerd: 0, what: 'auxiliary sort threads' },
];

export type SqlLimitProfile = 'production' | 'workerd';

/** The value of one limit under `profile`. */
export function sqlLimit(name: SqlLimitName, profile: SqlLimitProfile = 'production'): number {
  return SQL_LIMITS.find((l) => l.name === name)![profile];
}

/** Apply every limit to the connection `pDb` through `sqlite3_limit`. */
export function applySqlLimits(
  limit: (pDb: number, id: number, value: number) => number,
  pDb: number,
  profile: SqlLimitProfile = 'production',
): void {
  for (const l of SQL_LIMITS) limit(pDb, SQLITE_LIMIT[l.name], l[profile]);
}
