import { describe, expect, it } from 'vitest';
import { ACTION, authorize, isReservedName } from '../../src/storage/sql-authorizer.ts';

const a = (action: number, p1: string | null = null, p2: string | null = null, db: string | null = 'main') =>
  authorize(action, p1, p2, db, null);

describe('the SQL authorizer decision table (workerd isAuthorized)', () => {
  it('reserves _cf_ in any case', () => {
    expect(['_cf_KV', '_CF_kv', '_Cf_x'].map(isReservedName)).toEqual([true, true, true]);
    expect(['cf_KV', '_cf', 'x_cf_', ''].map(isReservedName)).toEqual([false, false, false, false]);
    expect(a(ACTION.READ, '_cf_KV', 'key')).toBe('deny');
    expect(a(ACTION.READ, 'users', 'id')).toBe('allow');
    expect(a(ACTION.CREATE_INDEX, 'idx', '_cf_KV')).toBe('deny');
    expect(a(ACTION.CREATE_TRIGGER, '_cf_t', 'users')).toBe('deny');
  });

  it('swaps ALTER TABLE and DETACH arguments as workerd does', () => {
    // SQLite passes (database, table) for ALTER TABLE.
    expect(authorize(ACTION.ALTER_TABLE, 'main', 'users', null, null)).toBe('allow');
    expect(authorize(ACTION.ALTER_TABLE, 'main', '_cf_KV', null, null)).toBe('deny');
    expect(authorize(ACTION.DETACH, 'other', null, null, null)).toBe('deny');
  });

  it('refuses transactions with their own decision, and every other database but a read of temp', () => {
    expect(a(ACTION.TRANSACTION, 'BEGIN', null, null)).toBe('transaction');
    expect(a(ACTION.SAVEPOINT, 'RELEASE', 'sp', null)).toBe('transaction');
    expect(a(ACTION.ATTACH, 'file.db', null, null)).toBe('deny');
    expect(a(ACTION.READ, 'users', 'id', 'other')).toBe('deny');
    expect(a(ACTION.READ, 'sqlite_temp_master', 'name', 'temp')).toBe('allow');
    expect(a(ACTION.INSERT, 't', null, 'temp')).toBe('deny');
    expect(a(ACTION.CREATE_TEMP_TABLE, 't', null, 'temp')).toBe('deny');
  });

  it('allow-lists pragmas with their argument shapes, by name as written', () => {
    const pragma = (name: string, arg: string | null = null) => a(ACTION.PRAGMA, name, arg, null);
    expect(pragma('table_list')).toBe('allow');
    expect(pragma('table_info', 'users')).toBe('allow');
    expect(pragma('table_info', '_cf_KV')).toBe('deny');
    expect(pragma('table_info')).toBe('deny');
    expect(pragma('data_version')).toBe('allow');
    expect(pragma('data_version', '5')).toBe('deny');
    expect(pragma('foreign_keys')).toBe('allow');
    expect(['ON', 'off', "'yes'", 'true', 'NOpe', '0', '10'].map((v) => pragma('foreign_keys', v))).toEqual(Array(7).fill('allow'));
    expect(['abcd', '"foo"', '2', ''].map((v) => pragma('foreign_keys', v))).toEqual(Array(4).fill('deny'));
    expect(pragma('FOREIGN_KEYS', 'ON')).toBe('deny');
    expect(pragma('foreign_key_check')).toBe('allow');
    expect(pragma('foreign_key_list')).toBe('deny');
    expect([null, '-1', '0x7fffffff', '65538'].map((v) => pragma('optimize', v))).toEqual(Array(4).fill('allow'));
    expect(['t', '0x80000000', '1.5'].map((v) => pragma('optimize', v))).toEqual(Array(3).fill('deny'));
    expect([null, '100', 'users'].map((v) => pragma('quick_check', v))).toEqual(Array(3).fill('allow'));
    expect(pragma('quick_check', '_cf_KV')).toBe('deny');
    expect(['journal_mode', 'writable_schema', 'integrity_check', 'page_count'].map((n) => pragma(n))).toEqual(Array(4).fill('deny'));
  });

  it('allow-lists functions and virtual table modules', () => {
    expect(a(ACTION.FUNCTION, null, 'json_extract', null)).toBe('allow');
    expect(a(ACTION.FUNCTION, null, '->>', null)).toBe('allow');
    expect(a(ACTION.FUNCTION, null, 'sqlite_version', null)).toBe('deny');
    expect(a(ACTION.FUNCTION, null, 'sqlite_rename_table', null)).toBe('allow');
    expect(a(ACTION.CREATE_VTABLE, 'docs', 'FTS5')).toBe('allow');
    expect(a(ACTION.CREATE_VTABLE, 'boxes', 'rtree_i32')).toBe('allow');
    expect(a(ACTION.CREATE_VTABLE, 'old', 'fts4')).toBe('deny');
    expect(a(ACTION.SELECT, null, null, null)).toBe('allow');
    expect(a(ACTION.RECURSIVE, null, null, null)).toBe('allow');
    expect(a(ACTION.COPY, null, null, null)).toBe('deny');
    expect(a(999, null, null, null)).toBe('deny');
  });
});
