/**
 * What user SQL may do (DO-API.md §5.3): the decision table behind the
 * connection's `sqlite3_set_authorizer` callback, as a pure function.
 *
 * It mirrors workerd's `SqliteDatabase::isAuthorized` (`util/sqlite.c++`),
 * including its quirks, because apps meet exactly these rules once deployed:
 *  - Names starting with `_cf_` (any case) are Cloudflare's own tables: no
 *    reading, writing, creating, altering, indexing or triggers on them.
 *  - Only the `main` database; `temp` may only be read. No ATTACH/DETACH,
 *    no TEMP tables, views, indexes or triggers.
 *  - Transactions and savepoints are refused with a tailored message; the
 *    caller raises it as an `Error` instead of `not authorized`.
 *  - PRAGMAs and functions are allow-listed. Pragma names are compared as
 *    written, like workerd does (so `PRAGMA FOREIGN_KEYS` is refused there too).
 *  - Virtual tables: fts5, fts5vocab, rtree, rtree_i32 only (any case).
 *
 * Hearth's own SQL (the KV table, the implicit transaction, deleteAll…) runs
 * in trusted mode and never reaches this table; see `sql-connection.ts`.
 */

/** Authorizer action codes (sqlite3.h). */
export const ACTION = {
  COPY: 0,
  CREATE_INDEX: 1,
  CREATE_TABLE: 2,
  CREATE_TEMP_INDEX: 3,
  CREATE_TEMP_TABLE: 4,
  CREATE_TEMP_TRIGGER: 5,
  CREATE_TEMP_VIEW: 6,
  CREATE_TRIGGER: 7,
  CREATE_VIEW: 8,
  DELETE: 9,
  DROP_INDEX: 10,
  DROP_TABLE: 11,
  DROP_TEMP_INDEX: 12,
  DROP_TEMP_TABLE: 13,
  DROP_TEMP_TRIGGER: 14,
  DROP_TEMP_VIEW: 15,
  DROP_TRIGGER: 16,
  DROP_VIEW: 17,
  INSERT: 18,
  PRAGMA: 19,
  READ: 20,
  SELECT: 21,
  TRANSACTION: 22,
  UPDATE: 23,
  ATTACH: 24,
  DETACH: 25,
  ALTER_TABLE: 26,
  REINDEX: 27,
  ANALYZE: 28,
  CREATE_VTABLE: 29,
  DROP_VTABLE: 30,
  FUNCTION: 31,
  SAVEPOINT: 32,
  RECURSIVE: 33,
} as const;

/** `allow` → SQLITE_OK; `deny` → SQLITE_DENY (`not authorized`); `transaction` → SQLITE_DENY, raised as the transaction message. */
export type AuthDecision = 'allow' | 'deny' | 'transaction';

/** Cloudflare reserves `_cf_` (any case) for its own tables. */
export function isReservedName(name: string): boolean {
  return name.length >= 4 && name.slice(0, 4).toLowerCase() === '_cf_';
}

const allowedName = (name: string | null): boolean => name !== null && !isReservedName(name);

/** workerd's function allow-list (`ALLOWED_SQLITE_FUNCTIONS`), plus what HEAD adds (JSONB, rtreecheck). */
const ALLOWED_FUNCTIONS = new Set([
  // https://www.sqlite.org/lang_corefunc.html
  'abs', 'changes', 'char', 'coalesce', 'concat', 'concat_ws', 'format', 'glob', 'hex', 'ifnull', 'iif',
  'instr', 'last_insert_rowid', 'length', 'like', 'likelihood', 'likely', 'load_extension', 'lower',
  'ltrim', 'max_scalar', 'min_scalar', 'nullif', 'octet_length', 'printf', 'quote', 'random',
  'randomblob', 'replace', 'round', 'rtrim', 'sign', 'soundex', 'substr', 'substring',
  'total_changes', 'trim', 'typeof', 'unhex', 'unicode', 'unlikely', 'upper', 'zeroblob',
  // sqlite_compileoption_get/used, sqlite_offset, sqlite_source_id, sqlite_version: refused (they reveal build details).
  // https://www.sqlite.org/lang_datefunc.html
  'date', 'time', 'datetime', 'julianday', 'unixepoch', 'strftime', 'timediff',
  'current_date', 'current_time', 'current_timestamp',
  // https://www.sqlite.org/lang_aggfunc.html
  'avg', 'count', 'group_concat', 'max', 'min', 'string_agg', 'sum', 'total',
  // https://www.sqlite.org/windowfunctions.html#biwinfunc
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead',
  'first_value', 'last_value', 'nth_value',
  // https://www.sqlite.org/lang_mathfunc.html
  'acos', 'acosh', 'asin', 'asinh', 'atan', 'atan2', 'atanh', 'ceil', 'cos', 'cosh', 'degrees', 'exp',
  'floor', 'ln', 'log', 'log2', 'mod', 'pi', 'pow', 'radians', 'sin', 'sinh', 'sqrt', 'tan', 'tanh', 'trunc',
  // https://www.sqlite.org/json1.html
  'json', 'json_array', 'json_array_length', 'json_extract', '->', '->>', 'json_insert', 'json_object',
  'json_patch', 'json_remove', 'json_replace', 'json_set', 'json_type', 'json_valid', 'json_quote',
  'json_group_array', 'json_group_object', 'json_each', 'json_tree', 'json_error_position', 'json_pretty',
  'jsonb', 'jsonb_array', 'jsonb_extract', 'jsonb_insert', 'jsonb_object', 'jsonb_patch', 'jsonb_remove',
  'jsonb_replace', 'jsonb_set', 'jsonb_group_array', 'jsonb_group_object', 'jsonb_each', 'jsonb_tree',
  // https://www.sqlite.org/fts5.html
  'match', 'highlight', 'bm25', 'snippet',
  // https://www.sqlite.org/rtree.html
  'rtreecheck',
  // Internal helpers SQLite calls for ALTER TABLE (src/alter.c).
  'sqlite_rename_column', 'sqlite_rename_table', 'sqlite_rename_test', 'sqlite_drop_column', 'sqlite_rename_quotefix',
]);

type PragmaSignature = 'no-arg' | 'boolean' | 'object-name' | 'optional-object-name' | 'null-or-number' | 'null-number-or-object-name';

/** workerd's `ALLOWED_PRAGMAS`, plus `page_size` (read-only), which HEAD allows. Keys as written: the match is exact. */
const ALLOWED_PRAGMAS = new Map<string, PragmaSignature>([
  ['data_version', 'no-arg'],
  ['page_size', 'no-arg'],
  ['case_sensitive_like', 'boolean'],
  ['foreign_keys', 'boolean'],
  ['defer_foreign_keys', 'boolean'],
  ['ignore_check_constraints', 'boolean'],
  ['legacy_alter_table', 'boolean'],
  ['recursive_triggers', 'boolean'],
  ['reverse_unordered_selects', 'boolean'],
  ['foreign_key_check', 'optional-object-name'],
  ['foreign_key_list', 'object-name'],
  ['index_info', 'object-name'],
  ['index_list', 'object-name'],
  ['index_xinfo', 'object-name'],
  ['quick_check', 'null-number-or-object-name'],
  ['optimize', 'null-or-number'],
]);

const VIRTUAL_TABLE_MODULES = new Set(['fts5', 'fts5vocab', 'rtree', 'rtree_i32']);

/**
 * workerd accepts a boolean when it *starts with* one of these, ignoring case
 * (`strncasecmp` against each spelling), after stripping matching quotes.
 */
const BOOLEAN_PREFIXES = ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'];

function isBooleanValue(raw: string): boolean {
  let value = raw;
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.at(-1) === value[0]) value = value.slice(1, -1);
  const lower = value.toLowerCase();
  return BOOLEAN_PREFIXES.some((p) => lower.startsWith(p));
}

/** kj's `tryParseAs<int32_t>`: decimal, or hex with `0x`, optionally signed, in range. */
function parsesAsInt32(value: string): boolean {
  const n = parseKjInteger(value);
  return n !== undefined && n >= -2147483648 && n <= 2147483647;
}

/** kj's `tryParseAs<uint>`: no sign, decimal or hex, in range. */
function parsesAsUint32(value: string): boolean {
  if (value.trimStart().startsWith('-')) return false;
  const n = parseKjInteger(value);
  return n !== undefined && n >= 0 && n <= 4294967295;
}

function parseKjInteger(value: string): number | undefined {
  const match = /^\s*([+-]?)(?:0[xX]([0-9a-fA-F]+)|([0-9]+))$/.exec(value);
  if (!match) return undefined;
  const magnitude = match[2] !== undefined ? parseInt(match[2], 16) : parseInt(match[3]!, 10);
  return match[1] === '-' ? -magnitude : magnitude;
}

function authorizePragma(name: string, arg: string | null): AuthDecision {
  if (name === 'table_list') return 'allow';
  if (name === 'table_info' || name === 'table_xinfo') return allowedName(arg) ? 'allow' : 'deny';
  const signature = ALLOWED_PRAGMAS.get(name);
  let ok: boolean;
  switch (signature) {
    case undefined:
      ok = false;
      break;
    case 'no-arg':
      ok = arg === null;
      break;
    case 'boolean':
      ok = arg === null || isBooleanValue(arg);
      break;
    case 'object-name':
      ok = allowedName(arg);
      break;
    case 'optional-object-name':
      ok = arg === null || allowedName(arg);
      break;
    case 'null-or-number':
      ok = arg === null || parsesAsInt32(arg);
      break;
    case 'null-number-or-object-name':
      ok = arg === null || parsesAsUint32(arg) || allowedName(arg);
      break;
  }
  return ok ? 'allow' : 'deny';
}

/** The temp database may only be read (workerd's `isAuthorizedTemp`). */
function authorizeTemp(action: number, p1: string | null): AuthDecision {
  return (action === ACTION.READ || action === ACTION.UPDATE) && allowedName(p1) ? 'allow' : 'deny';
}

/**
 * Decide one authorizer callback for user SQL. Arguments are as SQLite passes
 * them (`null` where it passes NULL): the action code, its two parameters, the
 * database name and the innermost trigger or view.
 */
export function authorize(
  action: number,
  p1: string | null,
  p2: string | null,
  dbName: string | null,
  _trigger: string | null,
): AuthDecision {
  // For these two, SQLite passes the database name first and the table second;
  // workerd swaps them back into the usual places.
  if (action === ACTION.ALTER_TABLE || action === ACTION.DETACH) {
    [p1, p2, dbName] = [p2, dbName, p1];
  }
  if (dbName !== null) {
    if (dbName === 'temp') return authorizeTemp(action, p1);
    if (dbName !== 'main') return 'deny';
  }
  switch (action) {
    case ACTION.SELECT:
    case ACTION.RECURSIVE:
    case ACTION.ANALYZE: // PRAGMA optimize analyzes every table, reserved ones included; sqlite_stat1 holds no row data.
      return 'allow';
    case ACTION.CREATE_TABLE:
    case ACTION.DELETE:
    case ACTION.DROP_TABLE:
    case ACTION.INSERT:
    case ACTION.CREATE_VIEW:
    case ACTION.DROP_VIEW:
    case ACTION.REINDEX:
    case ACTION.ALTER_TABLE:
    case ACTION.READ:
    case ACTION.UPDATE:
      return allowedName(p1) ? 'allow' : 'deny';
    case ACTION.CREATE_INDEX:
    case ACTION.DROP_INDEX:
    case ACTION.CREATE_TRIGGER:
    case ACTION.DROP_TRIGGER:
      return allowedName(p1) && allowedName(p2) ? 'allow' : 'deny';
    case ACTION.TRANSACTION:
    case ACTION.SAVEPOINT:
      return 'transaction';
    case ACTION.PRAGMA:
      return p1 === null ? 'deny' : authorizePragma(p1, p2);
    case ACTION.FUNCTION:
      return p2 !== null && ALLOWED_FUNCTIONS.has(p2) ? 'allow' : 'deny';
    case ACTION.CREATE_VTABLE:
    case ACTION.DROP_VTABLE:
      return p2 !== null && VIRTUAL_TABLE_MODULES.has(p2.toLowerCase()) ? 'allow' : 'deny';
    default:
      // ATTACH, DETACH, every TEMP object, COPY and anything newer than this table.
      return 'deny';
  }
}
