/**
 * PRAGMAs and functions are allow-listed, as in workerd (DO-API.md §5.3):
 * a few read-only and boolean pragmas, object-info pragmas on names that are
 * not `_cf_`; core, date, aggregate, window, math, JSON and FTS5 functions,
 * but no `sqlite_*()`.
 */
import { test, expect } from './kv-fixtures.ts';

const ATTEMPT = `const attempt = (fn) => { try { return fn(); } catch (e) { return e.name + ': ' + e.message; } };`;
const DENIED = 'Error: not authorized: SQLITE_AUTH';

test('allowed pragmas run; every other pragma is not authorized', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    sql.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v)');
    const run = (s) => attempt(() => sql.exec(s).toArray());
    return {
      tableInfo: run('PRAGMA table_info(t)').map((c) => c.name),
      tableXinfo: run('PRAGMA table_xinfo(t)').map((c) => c.name),
      tableList: run('PRAGMA table_list').some((t) => t.name === 't'),
      indexList: run('PRAGMA index_list(t)').map((i) => i.name),
      indexInfo: run('PRAGMA index_info(t_v)').map((c) => c.name),
      foreignKeyList: run('PRAGMA foreign_key_list(t)'),
      foreignKeyCheck: [run('PRAGMA foreign_key_check'), run('PRAGMA foreign_key_check(t)')],
      quickCheck: [run('PRAGMA quick_check'), run('PRAGMA quick_check(10)'), run('PRAGMA quick_check(t)')],
      optimize: [run('PRAGMA optimize'), run('PRAGMA optimize(0x10002)'), run('ANALYZE')],
      pageSize: run('PRAGMA page_size'),
      dataVersion: typeof run('PRAGMA data_version')[0].data_version,
      denied: [
        'PRAGMA journal_mode', 'PRAGMA journal_mode = DELETE', 'PRAGMA page_size = 8192', 'PRAGMA data_version = 5',
        'PRAGMA max_page_count = 65536', 'PRAGMA writable_schema = ON', 'PRAGMA integrity_check',
        'PRAGMA hard_heap_limit = 1024', 'PRAGMA table_info', 'PRAGMA index_list', 'PRAGMA optimize(t)',
        'PRAGMA quick_check(_cf_KV)', 'PRAGMA foreign_key_check(_cf_KV)',
      ].map(run),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      tableInfo: ['id', 'v'],
      tableXinfo: ['id', 'v'],
      tableList: true,
      indexList: ['t_v'],
      indexInfo: ['v'],
      foreignKeyList: [],
      foreignKeyCheck: [[], []],
      quickCheck: [[{ quick_check: 'ok' }], [{ quick_check: 'ok' }], [{ quick_check: 'ok' }]],
      optimize: [[], [], []],
      pageSize: [{ page_size: 4096 }],
      dataVersion: 'number',
      denied: Array(13).fill(DENIED),
    },
  });
});

test('boolean pragmas accept workerd’s spellings and refuse anything else', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    const set = (value) => attempt(() => { sql.exec('PRAGMA defer_foreign_keys = ' + value); return sql.exec('PRAGMA defer_foreign_keys').one().defer_foreign_keys; });
    return {
      accepted: ['true', 'false', 'on', 'off', 'yes', 'no', '1', '0', 'tRuE', 'NO', "'true'", '"yes"', '"0"', '  true   '].map(set),
      refused: ['abcd', '"foo"', '2'].map(set),
      broken: set("'yes"),
      read: attempt(() => sql.exec('PRAGMA foreign_keys').one()),
      // Pragma names are compared as written, as workerd does.
      upperCase: attempt(() => sql.exec('PRAGMA FOREIGN_KEYS')),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      accepted: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1],
      refused: [DENIED, DENIED, DENIED],
      broken: 'Error: unrecognized token: "\'yes" at offset 28: SQLITE_ERROR',
      read: { foreign_keys: 1 },
      upperCase: DENIED,
    },
  });
});

test('allowed functions work, sqlite_*() functions are not authorized', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    ${ATTEMPT}
    const sql = storage.sql;
    return {
      core: sql.exec("SELECT abs(-3) AS a, upper('x') AS u, coalesce(NULL, 2) AS c, iif(1, 'y', 'n') AS i, hex(zeroblob(2)) AS h").one(),
      math: sql.exec('SELECT cos(0) AS cos, pow(2, 10) AS pow, floor(2.5) AS floor').one(),
      json: sql.exec(\`SELECT '{"a":2,"c":[4,5,{"f":7}]}' -> '$.c' AS arrow, json_extract('{"a":1}', '$.a') AS extracted, json_array_length('[1,2]') AS len\`).one(),
      window: sql.exec('SELECT x, row_number() OVER (ORDER BY x DESC) AS rn FROM (SELECT 1 AS x UNION ALL SELECT 2)').toArray(),
      date: /^\\d{4}-\\d{2}-\\d{2}$/.test(sql.exec('SELECT current_date AS d').one().d),
      aggregate: sql.exec('SELECT group_concat(x) AS g, total(x) AS t FROM (SELECT 1 AS x UNION ALL SELECT 2)').one(),
      denied: ['sqlite_version()', 'sqlite_source_id()', "sqlite_compileoption_used('THREADSAFE')", 'sqlite_offset(1)'].map(
        (f) => attempt(() => sql.exec('SELECT ' + f)),
      ),
    };
  }`);
  expect(r).toEqual({
    ok: true,
    value: {
      core: { a: 3, u: 'X', c: 2, i: 'y', h: '0000' },
      math: { cos: 1, pow: 1024, floor: 2 },
      json: { arrow: '[4,5,{"f":7}]', extracted: 1, len: 2 },
      window: [{ x: 2, rn: 1 }, { x: 1, rn: 2 }],
      date: true,
      aggregate: { g: '1,2', t: 3 },
      denied: [
        'Error: not authorized to use function: sqlite_version at offset 7: SQLITE_ERROR',
        'Error: not authorized to use function: sqlite_source_id at offset 7: SQLITE_ERROR',
        'Error: not authorized to use function: sqlite_compileoption_used at offset 7: SQLITE_ERROR',
        'Error: not authorized to use function: sqlite_offset at offset 7: SQLITE_ERROR',
      ],
    },
  });
});

test('tables can be renamed and altered, which uses SQLite’s own helper functions', async ({ probe }) => {
  const r = await probe(`async (storage) => {
    const sql = storage.sql;
    sql.exec('CREATE TABLE before_rename (meta TEXT, doomed TEXT)');
    sql.exec('ALTER TABLE before_rename RENAME TO after_rename');
    sql.exec('ALTER TABLE after_rename RENAME COLUMN meta TO metadata');
    sql.exec('ALTER TABLE after_rename DROP COLUMN doomed');
    sql.exec("ALTER TABLE after_rename ADD COLUMN checked TEXT CHECK (checked IN ('A', 'B'))");
    return sql.exec('PRAGMA table_info(after_rename)').toArray().map((c) => c.name);
  }`);
  expect(r).toEqual({ ok: true, value: ['metadata', 'checked'] });
});
