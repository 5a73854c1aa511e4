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
  rpcNullPrototype:
    'RPC: an object with a null prototype is passed by Hearth; workerd refuses it: DataCloneError "Could not serialize object of ' +
    'type "Object". This type does not support serialization."',
  rpcRequest: 'RPC: a Request cannot be passed in Hearth (DataCloneError "Request"); workerd passes it (DO-API §2.3).',
  rpcCloneTexts:
    'RPC: a WeakMap or Promise argument is refused by both, with V8\'s text in workerd ("#<WeakMap> could not be cloned.") ' +
    'and the host-object text in Hearth (\'Could not serialize object of type "WeakMap". …\').',
  rpcConstructor:
    'RPC: stub.constructor() fails locally in workerd with TypeError "Illegal constructor" (no `remote`): `constructor` is the ' +
    'stub\'s own. Hearth sends the call and answers "\'constructor\' is a reserved method and cannot be called over RPC." with remote: true.',
  rpcThrownObject:
    'RPC: a thrown non-Error object reaches the workerd caller as that object (plus remote: true); Hearth turns it into ' +
    'Error("[object Object]").',
  rpcThrownDomException:
    'RPC: a thrown DOMException is rebuilt as a DOMException by workerd (code kept, DO-API §2.5); Hearth gives an Error with an own `name`.',
  rpcStubArgument:
    'RPC: a Durable Object stub cannot be passed as an argument in Hearth (DataCloneError "StubBase"); workerd passes it by ' +
    'reference and the receiver can fetch/call through it (DO-API §2.3).',
  brokenStub:
    'After a reset (ctx.abort(), a throw inside blockConcurrencyWhile), workerd\'s stub is broken: every later call on the same ' +
    'stub rethrows the reset error (DO-API §2.1). Hearth\'s old stub silently reaches a fresh instance.',
  requestFidelity:
    'stub.fetch: inside the object, workerd\'s request has a content-length header for a fixed-length body, `redirect` "manual" and ' +
    'no URL fragment; Hearth\'s has no content-length, `redirect` "follow", and keeps "#frag".',
  statusText: 'stub.fetch: a response made without a statusText arrives with the standard reason phrase ("OK") in workerd, with "" in Hearth.',
  setCookie:
    'stub.fetch: Set-Cookie headers of the object\'s response are lost in Hearth (the browser\'s Response guard drops them); ' +
    'workerd keeps both. Fixable as Hearth already does for request headers: keep the init headers in HearthResponse and ' +
    'rebuild `headers` on the caller side.',
  responseRedirect:
    'stub.fetch: a response from Response.redirect() makes Hearth fail with TypeError "Incorrect type for Promise: the Promise ' +
    'did not resolve to \'Response\'." (remote). src/wire/http.ts checks `instanceof` the replaced global Response subclass, ' +
    'and Response.redirect() (likewise Response.error() and global fetch()) returns a native Response. workerd follows the ' +
    'redirect by default and returns the 302 with redirect: "manual".',
  noFetchHandlerClass: 'stub.fetch on a class without fetch(): same message, but TypeError in Hearth and Error in workerd.',
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

const REQUEST_FIDELITY_ECHO = part('requestFidelity', {
  'value.headers[1][1]': {
    hearth: xHeaders([['accept', 'x/y'], ['content-type', 'application/octet-stream'], ['x-custom', 'Value']]),
    workerd: xHeaders([['accept', 'x/y'], ['content-length', '256'], ['content-type', 'application/octet-stream'], ['x-custom', 'Value']]),
  },
  'value.headers[4][1]': { hearth: 'follow', workerd: 'manual' },
  'value.headers[5][1]': { hearth: 'https://object.test/echo?q=1#frag', workerd: 'https://object.test/echo?q=1' },
});

const RESPONSE_SHAPES = [
  part('statusText', {
    'value.text.statusText': { hearth: '', workerd: 'OK' },
    'value.json.statusText': { hearth: '', workerd: 'OK' },
    'value.stream.statusText': { hearth: '', workerd: 'OK' },
    'value.cookies.statusText': { hearth: '', workerd: 'OK' },
  }),
  part('setCookie', {
    'value.cookies.headers': {
      hearth: [['content-type', 'text/plain;charset=UTF-8'], ['x-multi', 'one, two']],
      workerd: [['content-type', 'text/plain;charset=UTF-8'], ['set-cookie', 'a=1; Path=/'], ['set-cookie', 'b=2; HttpOnly'], ['x-multi', 'one, two']],
    },
  }),
];

const RPC_VALUES = [
  part('rpcNullPrototype', {
    'value.nullPrototype': {
      hearth: returned({ a: 1 }),
      workerd: dataCloneError('Could not serialize object of type "Object". This type does not support serialization.'),
    },
  }),
  part('rpcRequest', {
    'value.request': {
      hearth: dataCloneError('Could not serialize object of type "Request". This type does not support serialization.'),
      workerd: returned({ Request: { method: 'DELETE', url: 'https://object.test/r', headers: [] } }),
    },
  }),
];

const RPC_CONSTRUCTOR = part('rpcConstructor', {
  'value.constructor': {
    hearth: threw('TypeError', "'constructor' is a reserved method and cannot be called over RPC.", { props: { remote: true } }),
    workerd: threw('TypeError', 'Illegal constructor'),
  },
});

const RPC_CLONE_TEXTS = part('rpcCloneTexts', {
  'value.argWeakMap.error.message': {
    hearth: 'Could not serialize object of type "WeakMap". This type does not support serialization.',
    workerd: '#<WeakMap> could not be cloned.',
  },
  'value.argPromise.error.message': {
    hearth: 'Could not serialize object of type "Promise". This type does not support serialization.',
    workerd: '#<Promise> could not be cloned.',
  },
});

const ABORT_BROKEN_STUB = part('brokenStub', {
  'value.sameStub': {
    hearth: returned(0),
    workerd: threw('Error', 'bye', { props: { durableObjectReset: true } }),
  },
});

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
  'rpc.reserved-methods': bugs(RPC_CONSTRUCTOR),
  'rpc.reserved-methods@object': bugs(RPC_CONSTRUCTOR),
  'rpc.unserializable': bugs(RPC_CLONE_TEXTS),
  'rpc.unserializable@object': bugs(RPC_CLONE_TEXTS),
  'rpc.thrown-non-errors': bugs(
    part('rpcThrownObject', {
      'value.object.error': {
        hearth: error('Error', '[object Object]', { props: { remote: true } }),
        workerd: { code: 7, message: 'a thrown object', remote: true },
      },
    }),
    part('rpcThrownDomException', {
      'value.domException.error': {
        hearth: error('Error', 'a DOMException', { name: 'InvalidStateError', props: { name: 'InvalidStateError', remote: true } }),
        workerd: error('DOMException', 'a DOMException', { name: 'InvalidStateError', code: 11, props: { remote: true } }),
      },
    }),
  ),
  'rpc.stub-as-argument': bugs(
    part('rpcStubArgument', {
      value: {
        hearth: dataCloneError('Could not serialize object of type "StubBase". This type does not support serialization.'),
        workerd: returned({ typeofStub: 'object', typeofFetch: 'function', status: 200, text: 'plain text body' }),
      },
    }),
  ),
  'gates.critical-section-throw-resets': bugs(
    part('brokenStub', {
      'value.sameStub': {
        hearth: returned(0),
        workerd: threw('TypeError', 'critical section failed', { props: { durableObjectReset: true } }),
      },
    }),
  ),
  'abort.error-shape': bugs(ABORT_BROKEN_STUB),
  'abort.error-shape@object': bugs(ABORT_BROKEN_STUB),
  'fetch.echo-request': bugs(REQUEST_FIDELITY_ECHO),
  'fetch.echo-request@object': bugs(REQUEST_FIDELITY_ECHO),
  'fetch.string-body-and-request-object': bugs(
    part('requestFidelity', {
      'value.fromString.headers[1][1]': {
        hearth: xHeaders([['content-type', 'text/plain;charset=UTF-8']]),
        workerd: xHeaders([['content-length', '6'], ['content-type', 'text/plain;charset=UTF-8']]),
      },
      'value.fromString.headers[4][1]': { hearth: 'follow', workerd: 'manual' },
      'value.fromRequest.headers[1][1]': {
        hearth: xHeaders([['content-type', 'application/json']]),
        workerd: xHeaders([['content-length', '7'], ['content-type', 'application/json']]),
      },
      'value.fromRequest.headers[4][1]': { hearth: 'follow', workerd: 'manual' },
    }),
  ),
  'fetch.response-shapes': bugs(...RESPONSE_SHAPES),
  'fetch.response-shapes@object': bugs(...RESPONSE_SHAPES),
  'fetch.redirects': bugs(
    part('responseRedirect', {
      'value.follow': {
        hearth: threw('TypeError', "Incorrect type for Promise: the Promise did not resolve to 'Response'.", { props: { remote: true } }),
        workerd: returned({
          status: 200, statusText: 'OK', ok: true, redirected: true, headers: [['content-type', 'text/plain;charset=UTF-8']],
          bodyUsed: false, hasBody: true, body: 'plain text body',
        }),
      },
      'value.manual': {
        hearth: threw('TypeError', "Incorrect type for Promise: the Promise did not resolve to 'Response'.", { props: { remote: true } }),
        workerd: returned({
          status: 302, statusText: 'Found', ok: false, redirected: false, headers: [['location', 'https://object.test/text']],
          bodyUsed: false, hasBody: true, body: '',
        }),
      },
    }),
  ),
  'fetch.errors': bugs(
    part('noFetchHandlerClass', {
      'value.noHandler': {
        hearth: threw('TypeError', 'Handler does not export a fetch() function.', { props: { remote: true } }),
        workerd: threw('Error', 'Handler does not export a fetch() function.', { props: { remote: true } }),
      },
    }),
  ),
};
