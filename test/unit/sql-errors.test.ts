import { describe, expect, it } from 'vitest';
import { formatSqliteFailure, fromOo1Error, isCriticalSqlError, sqlError, type ErrorCapi } from '../../src/storage/sql-errors.ts';

const names: Record<number, string> = {
  1: 'SQLITE_ERROR',
  13: 'SQLITE_FULL',
  19: 'SQLITE_CONSTRAINT',
  1555: 'SQLITE_CONSTRAINT_PRIMARYKEY',
  23: 'SQLITE_AUTH',
};
const capi: ErrorCapi = {
  sqlite3_errmsg: () => 'unused',
  sqlite3_error_offset: () => -1,
  sqlite3_extended_errcode: () => 0,
  sqlite3_js_rc_str: (rc) => names[rc],
};

describe('Cloudflare-format SQL error messages', () => {
  it('appends the offset only when SQLite reports one', () => {
    expect(formatSqliteFailure({ message: 'near "SELEC": syntax error', offset: 0, code: 'SQLITE_ERROR' })).toBe(
      'near "SELEC": syntax error at offset 0: SQLITE_ERROR',
    );
    expect(formatSqliteFailure({ message: 'not authorized', offset: -1, code: 'SQLITE_AUTH', extended: 'SQLITE_AUTH' })).toBe(
      'not authorized: SQLITE_AUTH',
    );
  });

  it('appends the extended code only when it differs from the primary one', () => {
    expect(
      formatSqliteFailure({
        message: 'UNIQUE constraint failed: t.id',
        offset: -1,
        code: 'SQLITE_CONSTRAINT',
        extended: 'SQLITE_CONSTRAINT_PRIMARYKEY',
      }),
    ).toBe('UNIQUE constraint failed: t.id: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)');
  });

  it('rewrites sqlite-wasm oo1 exceptions into the same format, keeping the code', () => {
    const oo1 = Object.assign(new Error('SQLITE_CONSTRAINT_PRIMARYKEY: sqlite3 result code 1555: UNIQUE constraint failed: _cf_KV.key'), {
      resultCode: 1555,
    });
    const converted = fromOo1Error(capi, oo1) as Error;
    expect(converted.message).toBe(
      'UNIQUE constraint failed: _cf_KV.key: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_PRIMARYKEY)',
    );
    expect(converted.constructor).toBe(Error);
    expect(Object.keys(converted)).toEqual([]);
    const other = new TypeError('not from SQLite');
    expect(fromOo1Error(capi, other)).toBe(other);
  });

  it('treats storage failures as critical, and constraint failures as not', () => {
    expect(isCriticalSqlError(sqlError('database or disk is full: SQLITE_FULL', 13))).toBe(true);
    expect(isCriticalSqlError(sqlError('disk I/O error: SQLITE_IOERR (extended: SQLITE_IOERR_WRITE)', 778))).toBe(true);
    expect(isCriticalSqlError(sqlError('UNIQUE constraint failed: t.id', 1555))).toBe(false);
    expect(isCriticalSqlError(new Error('plain'))).toBe(false);
  });
});
