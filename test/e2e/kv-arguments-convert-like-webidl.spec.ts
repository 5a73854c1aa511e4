/**
 * Storage methods convert their arguments as workerd's jsg (WebIDL) does:
 * a missing argument or options of the wrong type fail with Cloudflare's
 * "Failed to execute '<method>' on '<interface>': parameter N is not of type
 * '<type>'." text, while an explicit `undefined` key is the string
 * "undefined" (texts observed in workerd, miniflare 4.20260730).
 */
import { test, expect } from './kv-fixtures.ts';

/** Source of a probe that runs each `[name, call]` of `cases` and reports what it resolved to or threw. */
function outcomes(cases: string): string {
  return `async (storage) => {
    const out = {};
    for (const [name, call] of ${cases}) {
      try {
        const value = await call();
        out[name] = value instanceof Map ? ['map', [...value.keys()]] : ['ok', value === undefined ? 'undefined' : value];
      } catch (e) {
        out[name] = [e.name, e.message];
      }
    }
    return out;
  }`;
}

const webidl = (iface: string, method: string, n: number, type: string) => [
  'TypeError',
  `Failed to execute '${method}' on '${iface}': parameter ${n} is not of type '${type}'.`,
];

test('a missing key, or options that are not a dictionary, fail with the WebIDL text', async ({ probe }) => {
  const r = await probe(
    outcomes(`[
      ['getMissing', () => storage.get()],
      ['getNumberOptions', () => storage.get('k', 5)],
      ['putMissing', () => storage.put()],
      ['putNumberOptions', () => storage.put('k', 1, 5)],
      ['putEntriesThenBadThird', () => storage.put({ a: 1 }, {}, 'x')],
      ['deleteMissing', () => storage.delete()],
      ['deleteNumberOptions', () => storage.delete('k', 5)],
      ['listNumber', () => storage.list(5)],
      ['listString', () => storage.list('x')],
      ['deleteAllNumber', () => storage.deleteAll(5)],
      ['transactionNumber', () => storage.transaction(5)],
      ['transactionSyncNumber', () => storage.transactionSync(5)],
    ]`),
  );
  const S = 'DurableObjectStorage';
  expect(r).toEqual({
    ok: true,
    value: {
      getMissing: webidl(S, 'get', 1, 'string or Array'),
      getNumberOptions: webidl(S, 'get', 2, 'GetOptions'),
      putMissing: webidl(S, 'put', 1, 'string or object'),
      putNumberOptions: webidl(S, 'put', 3, 'PutOptions'),
      putEntriesThenBadThird: webidl(S, 'put', 3, 'PutOptions'),
      deleteMissing: webidl(S, 'delete', 1, 'string or Array'),
      deleteNumberOptions: webidl(S, 'delete', 2, 'PutOptions'),
      listNumber: webidl(S, 'list', 1, 'ListOptions'),
      listString: webidl(S, 'list', 1, 'ListOptions'),
      deleteAllNumber: webidl(S, 'deleteAll', 1, 'PutOptions'),
      transactionNumber: webidl(S, 'transaction', 1, 'function'),
      transactionSyncNumber: webidl(S, 'transactionSync', 1, 'function'),
    },
  });
});

test('options may be null, an array or a function, as a WebIDL dictionary may', async ({ probe }) => {
  const r = await probe(
    outcomes(`[
      ['seed', () => storage.put('k', 1)],
      ['getNull', () => storage.get('k', null)],
      ['getArray', () => storage.get('k', [])],
      ['getFunction', () => storage.get('k', () => {})],
      ['putEntriesNull', () => storage.put({ e: 1 }, null)],
      ['listFunction', () => storage.list(() => {})],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      seed: ['ok', 'undefined'],
      getNull: ['ok', 1],
      getArray: ['ok', 1],
      getFunction: ['ok', 1],
      putEntriesNull: ['ok', 'undefined'],
      listFunction: ['map', ['e', 'k']],
    },
  });
});

test('an explicit undefined key is the string "undefined"', async ({ probe }) => {
  const r = await probe(
    outcomes(`[
      ['put', () => storage.put(undefined, 'u')],
      ['get', () => storage.get(undefined)],
      ['getByName', () => storage.get('undefined')],
      ['inArray', () => storage.get([undefined])],
      ['delete', () => storage.delete(undefined)],
      ['afterDelete', () => storage.get('undefined')],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      put: ['ok', 'undefined'],
      get: ['ok', 'u'],
      getByName: ['ok', 'u'],
      inArray: ['map', ['undefined']],
      delete: ['ok', true],
      afterDelete: ['ok', 'undefined'],
    },
  });
});

test('put(entries, options) ignores a third argument that is valid options; an array as the first argument is a key', async ({ probe }) => {
  const r = await probe(
    outcomes(`[
      ['entriesThenTwo', () => storage.put({ a: 1 }, {}, {})],
      ['arrayKey', () => storage.put(['x', 'y'], 'array key')],
      ['readArrayKey', () => storage.get('x,y')],
      ['keys', () => storage.list()],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      entriesThenTwo: ['ok', 'undefined'],
      arrayKey: ['ok', 'undefined'],
      readArrayKey: ['ok', 'array key'],
      keys: ['map', ['a', 'x,y']],
    },
  });
});

test('txn methods name DurableObjectTransaction in their errors', async ({ probe }) => {
  const r = await probe(
    outcomes(`[
      ['get', () => storage.transaction((txn) => txn.get())],
      ['put', () => storage.transaction((txn) => txn.put('k', 1, 5))],
      ['list', () => storage.transaction((txn) => txn.list(5))],
    ]`),
  );
  const T = 'DurableObjectTransaction';
  expect(r).toEqual({
    ok: true,
    value: { get: webidl(T, 'get', 1, 'string or Array'), put: webidl(T, 'put', 3, 'PutOptions'), list: webidl(T, 'list', 1, 'ListOptions') },
  });
});

test('the synchronous KV API and sql.exec() check their arguments the same way', async ({ probe }) => {
  const r = await probe(
    outcomes(`[
      ['kvGetMissing', () => storage.kv.get()],
      ['kvPutMissingValue', () => storage.kv.put('k')],
      ['kvPutUndefined', () => storage.kv.put('k', undefined)],
      ['kvListNumber', () => storage.kv.list(5)],
      ['execMissing', () => storage.sql.exec()],
    ]`),
  );
  expect(r).toEqual({
    ok: true,
    value: {
      kvGetMissing: webidl('SyncKvStorage', 'get', 1, 'string'),
      kvPutMissingValue: webidl('SyncKvStorage', 'put', 2, 'JsValue'),
      kvPutUndefined: ['ok', 'undefined'],
      kvListNumber: webidl('SyncKvStorage', 'list', 1, 'ListOptions'),
      execMissing: webidl('SqlStorage', 'exec', 1, 'JsString'),
    },
  });
});
