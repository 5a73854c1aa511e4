/**
 * `rowsRead` / `rowsWritten` of statements that create or drop schema
 * objects, as workerd reports them.
 *
 * workerd counts rows inside a patched SQLite (`patches/sqlite/0001-row-counts`):
 * each row a b-tree cursor lands on is read, each row inserted or deleted by
 * the statement is written, including the statement's own changes to
 * `sqlite_master`. Stock SQLite has no such counters, and the rows a DML
 * statement changes (what `sql-cursor.ts` counts) miss the schema's rows, so
 * for these statements the counts are rebuilt from what changed in
 * `sqlite_master`, following what workerd reports (miniflare 4.20260730):
 *
 *  - CREATE TABLE / VIEW: per table or view created, 1 read and 2 writes (a
 *    placeholder row is inserted, then updated); per index a constraint
 *    creates (`sqlite_autoindex_…`), 1 write. The first AUTOINCREMENT table
 *    creates `sqlite_sequence` too: 1 read and 2 writes more. CREATE TABLE …
 *    AS SELECT also writes its rows and reads what its SELECT reads.
 *  - CREATE VIRTUAL TABLE: 1 read and 2 writes. The module creates its
 *    shadow tables in statements of its own, which are not counted.
 *  - CREATE TRIGGER: 1 write.
 *  - CREATE INDEX on a table of n rows, m of which it indexes: 1 + m writes,
 *    and max(n, 1) + m + 1 reads, one more when m ≥ 2. Exact while the index
 *    fits in one page (about a hundred small keys); beyond that workerd reads
 *    a few rows more as b-tree pages split, which is not modelled.
 *  - DROP (TABLE, INDEX, VIEW, TRIGGER): no writes (the nested deletes are
 *    not counted); reads are the schema scans: every `sqlite_master` row once
 *    (once more per trigger dropped with a table, each scan seeing the rows
 *    still there), one per b-tree destroyed (a table and each of its
 *    indexes), and every row of `sqlite_stat1`/`sqlite_stat4` (tables and
 *    indexes) and of `sqlite_sequence` (AUTOINCREMENT tables) where those
 *    exist.
 *  - A statement that creates or drops nothing (IF [NOT] EXISTS): 0 and 0.
 *
 * Not modelled: ALTER TABLE, and the rows a DROP TABLE reads and deletes to
 * enforce foreign keys that refer to the table.
 */
import { ACTION } from './sql-authorizer.ts';
import type { SqliteDb } from './sqlite-types.ts';

/**
 * What counting needs of the connection (`SqlConnection` has it): its
 * database, and trusted mode to read `sqlite_master`. Declared here rather
 * than imported, because `sql-connection.ts` imports this file.
 */
interface SchemaReader {
  readonly db: SqliteDb;
  trusted<T>(fn: () => T): T;
}

/** The first create or drop the authorizer allowed while a statement compiled: what the statement does to the schema. */
export interface SchemaAction {
  action: number;
  /** The object's name (a trigger's, an index's, a table's). */
  name: string;
}

const CREATES = new Set<number>([
  ACTION.CREATE_TABLE, ACTION.CREATE_VIEW, ACTION.CREATE_INDEX, ACTION.CREATE_TRIGGER, ACTION.CREATE_VTABLE,
]);
const DROPS = new Set<number>([ACTION.DROP_TABLE, ACTION.DROP_VIEW, ACTION.DROP_INDEX, ACTION.DROP_TRIGGER, ACTION.DROP_VTABLE]);

/** Does this authorizer action create or drop a schema object (of the main database)? */
export function isSchemaAction(action: number): boolean {
  return CREATES.has(action) || DROPS.has(action);
}

export interface SchemaCounts {
  read: number;
  written: number;
  /** Add the reads the statement's own query made (CREATE TABLE … AS SELECT). */
  withQueryReads: boolean;
}

interface SchemaRow {
  type: string;
  name: string;
  table: string;
  sql: string | null;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The schema, and the rows a drop scans besides it, as they were before the statement ran. */
interface Before {
  rows: SchemaRow[];
  /** Rows of `sqlite_stat1` and `sqlite_stat4`. */
  statRows: number;
  sequenceRows: number;
}

/**
 * Snapshot the schema before the statement runs; `finish()` after it ran
 * gives its counts. Counting never fails a statement: if reading the schema
 * fails, there is nothing to finish (and `finish()` gives undefined), and the
 * cursor keeps its own counts.
 */
export function countSchemaChange(conn: SchemaReader, schema: SchemaAction): { finish(): SchemaCounts | undefined } | undefined {
  try {
    return snapshot(conn, schema);
  } catch {
    return undefined;
  }
}

function snapshot(conn: SchemaReader, schema: SchemaAction): { finish(): SchemaCounts | undefined } {
  const before = conn.trusted((): Before => {
    const rows = readSchema(conn);
    // A drop deletes its table's rows from these: count them now.
    const rowsOf = (name: string) =>
      rows.some((r) => r.type === 'table' && r.name === name) ? count(conn, `SELECT count(*) FROM main.${quote(name)}`) : 0;
    const isDrop = !CREATES.has(schema.action);
    return {
      rows,
      statRows: isDrop ? rowsOf('sqlite_stat1') + rowsOf('sqlite_stat4') : 0,
      sequenceRows: isDrop ? rowsOf('sqlite_sequence') : 0,
    };
  });
  return {
    finish: () => {
      try {
        return conn.trusted(() => counts(conn, schema, before, readSchema(conn)));
      } catch {
        return undefined;
      }
    },
  };
}

function readSchema(conn: SchemaReader): SchemaRow[] {
  return (
    conn.db.selectArrays('SELECT type, name, tbl_name, sql FROM sqlite_master') as [string, string, string, string | null][]
  ).map(([type, name, table, sql]) => ({ type, name, table, sql }));
}

function count(conn: SchemaReader, sql: string): number {
  return Number(conn.db.selectValue(sql) ?? 0);
}

function counts(conn: SchemaReader, schema: SchemaAction, { rows: before, statRows, sequenceRows }: Before, after: SchemaRow[]): SchemaCounts {
  const key = (r: SchemaRow) => `${r.type}\0${r.name}`;
  const had = new Set(before.map(key));
  const has = new Set(after.map(key));
  const created = after.filter((r) => !had.has(key(r)));
  const dropped = before.filter((r) => !has.has(key(r)));
  const result: SchemaCounts = { read: 0, written: 0, withQueryReads: false };
  switch (schema.action) {
    case ACTION.CREATE_VTABLE:
      if (created.some((r) => r.name === schema.name)) Object.assign(result, { read: 1, written: 2 });
      return result;
    case ACTION.CREATE_TABLE:
    case ACTION.CREATE_VIEW:
    case ACTION.CREATE_TRIGGER:
    case ACTION.CREATE_INDEX:
      for (const row of created) {
        if (row.type === 'table' || row.type === 'view') {
          result.read += 1;
          result.written += 2;
          if (row.type === 'table' && row.name === schema.name) {
            // CREATE TABLE … AS SELECT: its rows, and its SELECT's reads.
            result.written += count(conn, `SELECT count(*) FROM main.${quote(row.name)}`);
            result.withQueryReads = true;
          }
        } else if (row.type === 'trigger' || row.name.startsWith('sqlite_autoindex_')) {
          result.written += 1;
        } else if (row.type === 'index') {
          const n = count(conn, `SELECT count(*) FROM main.${quote(row.table)}`);
          const where = row.sql === null ? undefined : partialIndexWhere(row.sql);
          const m = where === undefined ? n : count(conn, `SELECT count(*) FROM main.${quote(row.table)} WHERE (${where})`);
          result.read += Math.max(n, 1) + m + 1 + (m >= 2 ? 1 : 0);
          result.written += 1 + m;
        }
      }
      return result;
    default: {
      // A drop: every count is of the schema as it was before.
      if (dropped.length === 0) return result;
      const rows = before.length;
      switch (schema.action) {
        case ACTION.DROP_TRIGGER:
        case ACTION.DROP_VIEW:
          result.read = rows;
          return result;
        case ACTION.DROP_INDEX:
          result.read = statRows + rows + 1;
          return result;
        default: {
          // DROP TABLE (ordinary or virtual).
          const table = before.find((r) => r.type === 'table' && r.name === schema.name);
          const triggers = before.filter((r) => r.type === 'trigger' && r.table === schema.name).length;
          const indexes = before.filter((r) => r.type === 'index' && r.table === schema.name).length;
          const virtual = /^\s*CREATE\s+VIRTUAL\b/i.test(table?.sql ?? '');
          const autoincrement = /\bAUTOINCREMENT\b/i.test(table?.sql ?? '');
          let read = statRows;
          for (let i = 0; i < triggers; i++) read += rows - i;
          if (autoincrement) read += sequenceRows;
          read += rows - triggers;
          if (!virtual) read += 1 + indexes;
          result.read = read;
          return result;
        }
      }
    }
  }
}

/**
 * The WHERE clause of a partial index, from its CREATE INDEX text: what
 * follows the column list at the top level (outside strings, quoted names,
 * comments and parentheses).
 */
export function partialIndexWhere(sql: string): string | undefined {
  let depth = 0;
  let closedColumns = false;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i = sql.indexOf(close, i + 1);
      // A doubled quote inside a string is the quote itself: the scan goes on from the second one.
      if (i < 0) return undefined;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return undefined;
      i = end + 1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) closedColumns = true;
    else if (closedColumns && depth === 0 && /^where\b/i.test(sql.slice(i, i + 6)) && /\W/.test(sql[i - 1] ?? ' ')) {
      return sql.slice(i + 5);
    }
  }
  return undefined;
}
