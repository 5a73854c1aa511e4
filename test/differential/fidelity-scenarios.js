/**
 * Scenarios for the differences a comparison with workerd found (issue 16):
 * the shape of DataCloneError, argument conversion before the SQL backend
 * check, what JSON.stringify and `constructor` give on ids and stubs without a
 * remote call, the local members of RPC stubs (dup, Symbol.dispose), streams
 * and the 32 MiB RPC message limit.
 *
 * Plain JavaScript with no imports but describe.js (workerd loads it unbundled).
 */
import { attempt, attemptSync } from './describe.js';

/** What a thrown DataCloneError looks like: its own properties (in order) and how they are defined. */
function cloneErrorShape(error) {
  const own = Object.getOwnPropertyNames(error);
  const descriptor = (key) => {
    const d = Object.getOwnPropertyDescriptor(error, key);
    return d ? { enumerable: d.enumerable, configurable: d.configurable, writable: 'value' in d ? d.writable : 'accessor' } : null;
  };
  return {
    isDOMException: error instanceof DOMException,
    name: error.name,
    code: error.code,
    message: error.message,
    own,
    code_: descriptor('code'),
    ownCodeValue: Object.hasOwn(error, 'code') ? error.code : null,
    name_: descriptor('name'),
    ownName: Object.hasOwn(error, 'name') ? error.name : null,
    message_: descriptor('message'),
    stackType: typeof error.stack,
    stackFirstLine: typeof error.stack === 'string' ? error.stack.split('\n')[0] : null,
  };
}

async function cloneErrorOf(fn) {
  try {
    await fn();
    return 'no error';
  } catch (error) {
    return cloneErrorShape(error);
  }
}

const syncCall = (fn) => {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    return { ok: false, name: error.name, message: error.message, ctor: error.constructor?.name };
  }
};

export const FIDELITY_IN_OBJECT = {
  'values.data-clone-error-shape': async ({ storage }) => ({
    symbol: await cloneErrorOf(() => storage.put('k', Symbol('x'))),
    weakMap: await cloneErrorOf(() => storage.put('k', new WeakMap())),
    fn: await cloneErrorOf(() => storage.put('k', () => 1)),
    method: await cloneErrorOf(() => storage.put('k', { m() {} })),
    nested: await cloneErrorOf(() => storage.put('k', { a: [1, { s: Symbol('deep') }] })),
  }),
  'sql.argument-conversion-before-backend@kv': async ({ storage }) => ({
    bigint: attemptSync(() => storage.sql.exec('SELECT ?', 1n)),
    symbol: attemptSync(() => storage.sql.exec('SELECT ?', Symbol('s'))),
    number: attemptSync(() => storage.sql.exec('SELECT ?', 1)),
  }),
};

export const FIDELITY_AT_CALLER = {
  'ids.json-and-own-properties': async ({ env, name }) => {
    const named = env.CALCULATOR.idFromName(name('A'));
    const unique = env.CALCULATOR.newUniqueId();
    const fromString = env.CALCULATOR.idFromString(named.toString());
    const shape = (id) => ({
      json: JSON.stringify(id).replace(name(''), '<prefix>'),
      inObject: JSON.stringify({ id }).replace(name(''), '<prefix>'),
      own: Object.getOwnPropertyNames(id),
      keys: Object.keys(id),
      toJSON: typeof id.toJSON,
      nameDescriptor: (({ writable, enumerable, configurable }) => ({ writable, enumerable, configurable }))(
        Object.getOwnPropertyDescriptor(id, 'name') ?? {},
      ),
    });
    return { named: shape(named), unique: shape(unique), fromString: shape(fromString) };
  },
  'ids.location-hints': async ({ env, name }) => ({
    known: attemptSync(() => typeof env.CALCULATOR.getByName(name('x'), { locationHint: 'weur' })),
    newest: attemptSync(() => typeof env.CALCULATOR.getByName(name('x'), { locationHint: 'apac-se' })),
    unknown: attemptSync(() => typeof env.CALCULATOR.getByName(name('x'), { locationHint: 'mars' })),
    badRouting: attemptSync(() => env.CALCULATOR.getByName(name('x'), { routingMode: 'nearest' })),
  }),
  'rpc.stub-local-members': async ({ env, name }) => {
    const calc = env.CALCULATOR.getByName(name('calc'));
    const unnamed = env.CALCULATOR.get(env.CALCULATOR.newUniqueId());
    await calc.add(1);
    const json = JSON.stringify(calc).replaceAll(name(''), '<prefix>');
    const unnamedJson = JSON.stringify(unnamed);
    const ctor = calc.constructor;
    const out = {
      json,
      unnamedJson,
      keys: Object.keys(calc),
      unnamedKeys: Object.keys(unnamed),
      constructorType: typeof ctor,
      constructorName: ctor.name,
      constructorCalled: syncCall(() => ctor()),
      constructorNew: syncCall(() => new ctor()),
      toJSONType: typeof calc.toJSON,
      disposeType: typeof calc[Symbol.dispose],
      thenType: typeof calc.then,
    };
    // Nothing above reached the object: its toJSON method has not run. An explicit call does reach it.
    out.remoteToJSONCallsBefore = await calc.toJSONCalls();
    out.explicitToJSON = await attempt(() => calc.toJSON());
    out.remoteToJSONCallsAfter = await calc.toJSONCalls();
    return out;
  },
  'rpc.returned-stub-local-members': async ({ env, name }) => {
    const calc = env.CALCULATOR.getByName(name('calc'));
    const target = await calc.counter();
    const { inner } = await calc.nested();
    const fn = inner.double;
    const out = {
      targetType: typeof target,
      targetConstructor: target.constructor.name,
      fnConstructor: fn.constructor.name,
      constructorCalled: syncCall(() => target.constructor()),
      constructorNew: syncCall(() => new target.constructor()),
      jsonInObject: JSON.stringify({ target, fn, x: 1 }),
      jsonTop: String(JSON.stringify(target)),
      thenType: typeof target.then,
      dupType: typeof target.dup,
      disposeType: typeof target[Symbol.dispose],
      keys: Object.keys(target),
      explicitToJSON: await attempt(() => target.toJSON()),
    };
    await target.inc(1);
    const copy = target.dup();
    out.copyConstructor = copy.constructor.name;
    out.copyInc = await attempt(() => copy.inc(2));
    target[Symbol.dispose]();
    out.afterDispose = await attempt(() => target.inc(1));
    out.afterDisposeRead = await attempt(async () => await target.value);
    out.copyStillWorks = await attempt(() => copy.inc(4));
    copy[Symbol.dispose]();
    out.copyAfterDispose = await attempt(() => copy.inc(1));
    out.fnBefore = await attempt(() => fn(4));
    fn[Symbol.dispose]();
    out.fnAfterDispose = await attempt(() => fn(4));
    return out;
  },
  'rpc.request-response-and-stub-values': async ({ env, name }) => {
    const calc = env.CALCULATOR.getByName(name('calc'));
    const echoName = name('echo');
    return {
      request: await attempt(() =>
        calc.describeRequest(new Request('https://object.test/r?q=1', { method: 'POST', body: 'hey', headers: { 'x-a': '1' }, redirect: 'manual' })),
      ),
      getRequest: await attempt(() => calc.describeRequest(new Request('https://object.test/g'))),
      response: await attempt(() => calc.describeResponse(new Response('body', { status: 201, statusText: 'Made', headers: { 'x-b': '2' } }))),
      responseBack: await attempt(async () => {
        const response = await calc.makeResponse('from the object');
        return { isResponse: response instanceof Response, status: response.status, made: response.headers.get('x-made'), body: await response.text() };
      }),
      stubArgument: await attempt(() => calc.useStub(env.ECHO.getByName(echoName), true)),
      stubResult: await attempt(async () => {
        const stub = await calc.echoStub(echoName);
        const response = await stub.fetch('https://object.test/text');
        return {
          typeofStub: typeof stub,
          typeofName: typeof stub.name,
          typeofId: typeof stub.id,
          json: String(JSON.stringify(stub)),
          keys: Object.keys(stub),
          constructor: stub.constructor.name,
          status: response.status,
          text: await response.text(),
        };
      }),
    };
  },
  'rpc.streams': async ({ env, name }) => {
    const calc = env.CALCULATOR.getByName(name('calc'));
    return {
      argument: await attempt(() => calc.readStream(new Response('abc é').body)),
      result: await attempt(async () => {
        const stream = await calc.makeStream('streamed back');
        return { isStream: stream instanceof ReadableStream, text: await new Response(stream).text() };
      }),
      inObject: await attempt(async () => {
        const { body, label } = await calc.streamInObject('nested');
        return { label, isStream: body instanceof ReadableStream, text: await new Response(body).text() };
      }),
    };
  },
  'rpc.message-size-limit': async ({ env, name }) => {
    const calc = env.CALCULATOR.getByName(name('calc'));
    const MiB = 1024 * 1024;
    return {
      argumentUnder: await attempt(() => calc.size('x'.repeat(31 * MiB))),
      argumentOver: await attempt(() => calc.size('x'.repeat(33 * MiB))),
      bytesOver: await attempt(() => calc.size(new Uint8Array(33 * MiB))),
      resultOver: await attempt(async () => (await calc.big(33 * MiB)).length),
      stillWorks: await calc.add(1),
    };
  },
};
