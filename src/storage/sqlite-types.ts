/**
 * The sqlite-wasm types Hearth's storage code is written against, named once.
 * Types only: any storage module may import it without loading SQLite or
 * forming an import circle with `sqlite-open.ts` (which secures each database
 * through `sql-connection.ts`).
 */
import type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';

export type SqliteDb = Database;
export type Sqlite3 = Sqlite3Static;
/** A statement prepared on a database (`db.prepare`). */
export type SqliteStatement = ReturnType<SqliteDb['prepare']>;
