/**
 * Differences from workerd that are Hearth bugs: not deliberate, and workerd
 * (the local build of what production runs) behaves as described. They are
 * pinned here, value by value, so the differential test stays green while they
 * are open and notices any change: once a bug is fixed, its scenario fails with
 * "the runtimes now agree" and its entry must be removed.
 *
 * Each bug is written once (BUG) and attached to the scenarios that show it.
 * Deliberate differences do not belong here: see intended-differences.ts.
 */
import { dataCloneError, error, returned, threw, UNDEFINED, type ExpectedDifference, type Json } from './compare.ts';

type Differs = ExpectedDifference['differs'];

export const BUG = {
  argumentErrorTexts:
    'Malformed arguments to storage methods get Hearth\'s own TypeError texts; workerd (jsg/WebIDL) says "Failed to execute ' +
    '\'<method>\' on \'DurableObjectStorage\': parameter N is not of type \'<type>\'."',
  undefinedKey:
    'An explicit `undefined` key is converted to the string "undefined" by workerd (put/get/delete succeed); Hearth throws ' +
    'TypeError "<method>(): parameter 1 is not of type \'variant\'. (key is undefined)".',
  putExtraArgument: 'put(entries, options, extra) is accepted by workerd (the extra argument is ignored); Hearth throws the put() usage TypeError.',
  viewsTrimmed:
    'A stored typed-array view or DataView over part of a buffer comes back over a copy of just its own bytes (byteOffset 0) in ' +
    'Hearth; workerd (V8\'s serializer) keeps the whole buffer and the offset, and views of one buffer still share it. Hearth\'s ' +
    'serializer trims on purpose, citing DO-API §15 ("a subarray comes back trimmed"), but workerd 2026-07-30 does not trim.',
  domExceptionStored: 'A stored DOMException comes back from Hearth as a plain Error with name "Error" and an empty message; workerd keeps the DOMException (name, message, code).',
  hostObjectsStored:
    'Storage: Headers and Request round-trip in workerd (with their contents); Hearth silently stores them as `{}`. A ' +
    'DurableObjectNamespace is refused by workerd (DataCloneError) and stored as `{}` by Hearth. A stub is refused by both, but ' +
    'Hearth names "DurableObjectId" instead of "ServiceStub cannot be serialized in this context." (DO-API §2.1).',
  sqlCounters: 'SQL: a CREATE TABLE cursor reports rowsRead 0 / rowsWritten 0 in Hearth, 1 / 2 in workerd (its sqlite_master writes count).',
  sqlCursorDone: 'SQL: cursor.next() past the end returns `{ done: true }` in Hearth, `{ done: true, value: undefined }` in workerd.',
  rpcRequest: 'RPC: a Request cannot be passed in Hearth (DataCloneError "Request"); workerd passes it (DO-API §2.3).',
  rpcStubArgument:
    'RPC: a Durable Object stub cannot be passed as an argument in Hearth (DataCloneError "StubBase"); workerd passes it by ' +
    'reference and the receiver can fetch/call through it (DO-API §2.3).',
  requestFidelity:
    'stub.fetch(request): when a Request object with a body is passed, workerd\'s request inside the object has a content-length ' +
    'header; Hearth streams that body and has none.',
} as const;

const part = (bug: keyof typeof BUG, differs: Differs) => ({ bug, differs });

function bugs(...parts: { bug: keyof typeof BUG; differs: Differs }[]): ExpectedDifference {
  return { reason: parts.map((p) => BUG[p.bug]).join(' | '), differs: Object.assign({}, ...parts.map((p) => p.differs)) };
}

const webidl = (method: string, n: number, type: string): Json =>
  threw('TypeError', `Failed to execute '${method}' on 'DurableObjectStorage': parameter ${n} is not of type '${type}'.`);
const variant = (method: string): Json => threw('TypeError', `${method}(): parameter 1 is not of type 'variant'. (key is undefined)`);
const PUT_USAGE =
  'put() may only be called with a single key-value pair and optional options as put(key, value, options) or with multiple key-value pairs and optional options as put(entries, options)';
const view = (kind: string, bytes: number[], byteOffset: number, bufferByteLength: number): Json => ({ view: kind, bytes, byteOffset, bufferByteLength });
const xHeaders = (pairs: [string, string][]) => JSON.stringify(pairs);

const RPC_VALUES = [
  part('rpcRequest', {
    'value.request': {
      hearth: dataCloneError('Could not serialize object of type "Request". This type does not support serialization.'),
      workerd: returned({ Request: { method: 'DELETE', url: 'https://object.test/r', headers: [] } }),
    },
  }),
];

export const KNOWN_BUGS: Record<string, ExpectedDifference> = {
  'kv.list.bad-arguments': bugs(
    part('argumentErrorTexts', {
      'value.number.error.message': {
        hearth: 'list() options must be an object.',
        workerd: "Failed to execute 'list' on 'DurableObjectStorage': parameter 1 is not of type 'ListOptions'.",
      },
      'value.string.error.message': {
        hearth: 'list() options must be an object.',
        workerd: "Failed to execute 'list' on 'DurableObjectStorage': parameter 1 is not of type 'ListOptions'.",
      },
    }),
  ),
  'kv.get.single': bugs(part('argumentErrorTexts', { 'value.noKey': { hearth: variant('get'), workerd: webidl('get', 1, 'string or Array') } })),
  'kv.delete': bugs(part('argumentErrorTexts', { 'value[6]': { hearth: variant('delete'), workerd: webidl('delete', 1, 'string or Array') } })),
  'kv.options': bugs(
    part('argumentErrorTexts', {
      'value.getNumberOptions': { hearth: threw('TypeError', 'get() options must be an object.'), workerd: webidl('get', 2, 'GetOptions') },
      'value.deleteNumberOptions': { hearth: threw('TypeError', 'delete() options must be an object.'), workerd: webidl('delete', 2, 'PutOptions') },
    }),
  ),
  'kv.put.undefined-and-usage': bugs(
    part('argumentErrorTexts', {
      'value.noArguments': { hearth: variant('put'), workerd: webidl('put', 1, 'string or object') },
      'value.keyValueThenNumber': { hearth: threw('TypeError', PUT_USAGE), workerd: webidl('put', 3, 'PutOptions') },
    }),
    part('putExtraArgument', {
      'value.entriesThenTwo': { hearth: threw('TypeError', PUT_USAGE), workerd: returned(UNDEFINED) },
      'value.stored': { hearth: [], workerd: ['a'] },
    }),
  ),
  'transaction-sync.basics': bugs(
    part('argumentErrorTexts', {
      'value.notFunction.error.message': {
        hearth: "transactionSync(): parameter 1 is not of type 'Function'.",
        workerd: "Failed to execute 'transactionSync' on 'DurableObjectStorage': parameter 1 is not of type 'function'.",
      },
    }),
  ),
  'kv.key-coercion': bugs(
    part('undefinedKey', {
      'value.undefinedKey': { hearth: variant('put'), workerd: returned(UNDEFINED) },
      'value.getUndefined': { hearth: variant('get'), workerd: returned('u') },
      'value.deleteUndefined': { hearth: variant('delete'), workerd: returned(true) },
    }),
  ),
  'values.binary': bugs(
    part('viewsTrimmed', {
      'value.subarray': { hearth: returned(view('Uint8Array', [2, 3, 4], 0, 3)), workerd: returned(view('Uint8Array', [2, 3, 4], 2, 10)) },
      'value.dataView': { hearth: returned(view('DataView', [1, 2, 3], 0, 3)), workerd: returned(view('DataView', [1, 2, 3], 1, 10)) },
      'value.twoViewsOfOneBuffer': {
        hearth: returned({ a: view('Uint8Array', [0, 1], 0, 2), b: view('Uint8Array', [1, 2], 0, 2) }),
        workerd: returned({ a: view('Uint8Array', [0, 1], 0, 10), b: view('Uint8Array', [1, 2], 1, 10) }),
      },
      'value.sameBufferAfterRoundTrip': { hearth: false, workerd: true },
    }),
  ),
  'values.errors': bugs(
    part('domExceptionStored', {
      'value.domException': {
        hearth: returned(error('Error', '')),
        workerd: returned(error('DOMException', 'dom message', { name: 'DataCloneError', code: 25 })),
      },
    }),
  ),
  'values.host-objects': bugs(
    part('hostObjectsStored', {
      'value.headers': { hearth: returned({}), workerd: returned({ Headers: [['a', '1']] }) },
      'value.request': {
        hearth: returned({}),
        workerd: returned({ Request: { method: 'POST', url: 'https://object.test/stored', headers: [['a', '1']] } }),
      },
      'value.stub': {
        hearth: dataCloneError('Could not serialize object of type "DurableObjectId". This type does not support serialization.'),
        workerd: dataCloneError('ServiceStub cannot be serialized in this context.'),
      },
      'value.namespace': {
        hearth: returned({}),
        workerd: dataCloneError('Could not serialize object of type "DurableObjectNamespace". This type does not support serialization.'),
      },
      'value.stored': { hearth: ['headers', 'namespace', 'request'], workerd: ['headers', 'request'] },
    }),
  ),
  'sql.exec-and-cursor': bugs(
    part('sqlCounters', {
      'value.created.rowsRead': { hearth: 0, workerd: 1 },
      'value.created.rowsWritten': { hearth: 0, workerd: 2 },
    }),
    part('sqlCursorDone', { 'value.done': { hearth: { done: true }, workerd: { done: true, value: UNDEFINED } } }),
  ),
  'rpc.values': bugs(...RPC_VALUES),
  'rpc.values@object': bugs(...RPC_VALUES),
  'rpc.stub-as-argument': bugs(
    part('rpcStubArgument', {
      value: {
        hearth: dataCloneError('Could not serialize object of type "StubBase". This type does not support serialization.'),
        workerd: returned({ typeofStub: 'object', typeofFetch: 'function', status: 200, text: 'plain text body' }),
      },
    }),
  ),
  'fetch.string-body-and-request-object': bugs(
    part('requestFidelity', {
      'value.fromRequest.headers[1][1]': {
        hearth: xHeaders([['content-type', 'application/json']]),
        workerd: xHeaders([['content-length', '7'], ['content-type', 'application/json']]),
      },
    }),
  ),
};
