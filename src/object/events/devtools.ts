/**
 * `devtools` events: what the devtools page (src/devtools/) asks of one
 * object. They arrive over a caller connection like any call, so they pass
 * the object's input gate (never interleaving with a running event), and
 * their answers pass its output gate: an edit made here is durable before
 * the page hears "done". This is the only way the devtools reach an
 * object's storage.
 *
 * They do not construct the instance (`constructs: false`): looking into an
 * object must not run its constructor — the evict test counts constructions.
 *
 * Reading `_cf_KV` is forbidden to user SQL (the authorizer), so KV entries
 * are read as Hearth's trusted SQL and decoded with the storage's own
 * serializer; everything else uses the public storage API, which keeps
 * Cloudflare's checks and the write coalescing.
 */
import type { CallPayload, DevtoolsAnswer, DevtoolsTable } from '../../protocol.ts';
import { trusted } from '../../storage/sql-connection.ts';
import { deserialize } from '../../storage/structured-serializer.ts';
import type { SqliteDb } from '../../storage/sqlite-types.ts';
import type { Delivered, EventKind } from './event-kind.ts';

type DevtoolsPayload = Extract<CallPayload, { kind: 'devtools' }>;

const MAX_KV_ENTRIES = 1000;
/** The reset that follows a wipe: calls the old instance had accepted fail with it. */
export const WIPE_RESET = 'Durable Object reset by Hearth DevTools: its storage was wiped.';
/** The reset that follows a restore: the next session starts from the restored state. */
export const RESTORE_RESET = 'Durable Object reset by Hearth DevTools: its storage was restored to an earlier state.';

function done(answer: DevtoolsAnswer, transfer: Transferable[] = []): Delivered {
  return { value: answer, transfer };
}

function readKv(db: SqliteDb): { entries: { key: string; value: unknown; bytes: number }[]; count: number } {
  return trusted(db, () => {
    const exists = db.selectValue("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_cf_KV'");
    if (!exists) return { entries: [], count: 0 };
    const count = Number(db.selectValue('SELECT count(*) FROM _cf_KV'));
    const rows = db.selectArrays('SELECT key, value FROM _cf_KV ORDER BY key LIMIT ?', [MAX_KV_ENTRIES]) as [string, Uint8Array][];
    const entries = rows.map(([key, bytes]) => {
      let value: unknown;
      try {
        value = deserialize(bytes);
      } catch (error) {
        value = new Error(`(undecodable value: ${(error as Error).message})`);
      }
      return { key, value, bytes: bytes.byteLength };
    });
    return { entries, count };
  });
}

function readTables(db: SqliteDb, rowLimit: number): DevtoolsTable[] {
  return trusted(db, () => {
    const tables = db.selectArrays(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    ) as [string, string][];
    return tables.map(([name, schema]) => {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      const columns: string[] = [];
      const rows = db.selectArrays(`SELECT * FROM ${quoted} LIMIT ?`, [rowLimit]) as unknown[][];
      db.exec({ sql: `SELECT * FROM ${quoted} LIMIT 0`, columnNames: columns });
      const count = Number(db.selectValue(`SELECT count(*) FROM ${quoted}`));
      return { name, schema, columns, rows, count };
    });
  });
}

export const devtoolsEvent: EventKind<DevtoolsPayload> = {
  constructs: false,
  label: (payload) => `devtools ${payload.request.op}`,

  async deliver({ internals: internalsOf }, { request }): Promise<Delivered> {
    const internals = internalsOf();
    const { db, storage } = internals;
    switch (request.op) {
      case 'storage': {
        const kv = readKv(db);
        const tables = readTables(db, request.rowLimit);
        const sizeBytes = trusted(db, () => Number(db.selectValue('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()')));
        return done({ op: 'storage', kv: kv.entries, kvCount: kv.count, tables, sizeBytes });
      }
      case 'kv-put':
        await storage.put(request.key, request.value);
        return done({ op: 'done' });
      case 'kv-delete':
        await storage.delete(request.key);
        return done({ op: 'done' });
      case 'sql': {
        // Read-only unless switched: SQLite itself refuses every write while `query_only` is on.
        if (!request.write) trusted(db, () => db.exec('PRAGMA query_only = 1'));
        try {
          const cursor = storage.sql.exec(request.query);
          const rows = [...cursor.raw()] as unknown[][];
          return done({ op: 'sql', columns: cursor.columnNames, rows, rowsRead: cursor.rowsRead, rowsWritten: cursor.rowsWritten });
        } finally {
          if (!request.write) trusted(db, () => db.exec('PRAGMA query_only = 0'));
        }
      }
      case 'export': {
        const bytes = internals.exportDatabase();
        return done({ op: 'export', bytes }, [bytes.buffer]);
      }
      case 'import':
        internals.importDatabase(request.bytes);
        // The object restarts on the new content: nothing cached from the old one survives.
        internals.evict();
        return done({ op: 'done' });
      case 'evict':
        internals.evict();
        return done({ op: 'done' });
      case 'abort':
        internals.abort('Durable Object reset by Hearth DevTools.');
        return done({ op: 'done' });
      case 'hibernate':
        internals.hibernate();
        return done({ op: 'done' });
      case 'restore': {
        // The object's own PITR calls, as its code would make them: then a reset, as `ctx.abort()` would.
        const bookmark = 'bookmark' in request ? request.bookmark : await storage.getBookmarkForTime(request.time);
        const undo = await storage.onNextSessionRestoreBookmark(bookmark);
        internals.abortAfterReply(RESTORE_RESET);
        return done({ op: 'restored', bookmark, undo });
      }
      case 'wipe':
        // What the object's own code would do: deleteAll() (the alarm too, whatever the compatibility date), then a reset.
        await storage.deleteAll();
        await storage.deleteAlarm();
        await storage.sync();
        internals.abort(WIPE_RESET);
        return done({ op: 'done' });
    }
  },
};
