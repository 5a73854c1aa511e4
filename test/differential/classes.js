/**
 * The Durable Object classes of the differential test. The same file runs in
 * Hearth (loaded as the app's main module) and in workerd (loaded unbundled by
 * Miniflare), so it is plain JavaScript that is valid Cloudflare code.
 *
 * Most scenarios run inside `Runner`: its `run(id)` looks the scenario up in
 * scenarios.js and returns a JSON summary of what happened. The other classes
 * are the surfaces the caller-side scenarios poke at (RPC, fetch, gates).
 *
 * The default export is the Worker: in workerd, the test drives scenarios
 * through it (`GET /run?id=…`), so there the caller is a Worker, as the page
 * is the caller in Hearth.
 */
import { DurableObject, RpcTarget } from 'cloudflare:workers';
import { features, runInObject, runScenario } from './scenarios.js';

export { Alarms, KvAlarms, NoAlarmHandler } from './alarm-classes.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a named scenario inside the object (SQLite-backed). */
export class Runner extends DurableObject {
  run(id) {
    return runInObject(id, { storage: this.ctx.storage, ctx: this.ctx, env: this.env, self: this });
  }
  /** Runs a caller-side scenario from inside this object: object-to-object calls. */
  drive(id, prefix) {
    return runScenario(id, { env: this.env, RpcTarget, prefix });
  }
  features() {
    return features(this.ctx.storage);
  }
}

/** The same runner on a KV-backed class (`new_classes`). */
export class KvRunner extends Runner {}

/** A counter handed out by reference. */
export class CounterTarget extends RpcTarget {
  #n = 0;
  inc(by = 1) {
    this.#n += by;
    return this.#n;
  }
  get value() {
    return this.#n;
  }
}

class NotSerializable {
  x = 1;
}

class CustomError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CustomError';
    this.detail = { level: 3 };
  }
}

/** The JS RPC surface: methods, getters, targets, callbacks, errors, resets. */
export class Calculator extends DurableObject {
  total = 0;
  instanceArrow = () => 'not reachable';

  constructor(ctx, env) {
    super(ctx, env);
    this.nameInConstructor = ctx.id.name;
  }

  add(n) {
    this.total += n;
    return this.total;
  }
  get current() {
    return this.total;
  }
  async addLater(n) {
    await sleep(5);
    return this.add(n);
  }
  echo(value) {
    return value;
  }
  args(...all) {
    return { count: all.length, all };
  }
  withDefault(a, b = 'default-b') {
    return [a, b];
  }
  counter() {
    return new CounterTarget();
  }
  nested() {
    return { inner: { double: (x) => x * 2 }, label: 'plain' };
  }
  async callBack(fn) {
    return (await fn(20)) + 1;
  }
  async callTarget(target) {
    const a = await target.bump(2);
    const b = await target.bump(3);
    return [a, b, await target.total];
  }
  async useStub(stub, describeReceived = false) {
    const response = await stub.fetch('https://object.test/text');
    return {
      typeofStub: typeof stub,
      typeofFetch: typeof stub.fetch,
      status: response.status,
      text: await response.text(),
      ...(describeReceived ? { typeofName: typeof stub.name, json: String(JSON.stringify(stub)), keys: Object.keys(stub), constructor: stub.constructor.name } : {}),
    };
  }
  fail() {
    const error = new RangeError('calculator refused');
    error.code = 'E_CALC';
    throw error;
  }
  async failLater() {
    await sleep(1);
    throw new CustomError('custom failure');
  }
  failWithCause() {
    throw new Error('outer failure', { cause: new TypeError('inner cause') });
  }
  throwValue(kind) {
    if (kind === 'string') throw 'a thrown string';
    if (kind === 'object') throw { code: 7, message: 'a thrown object' };
    if (kind === 'null') throw null;
    throw new DOMException('a DOMException', 'InvalidStateError');
  }
  returnsClass() {
    return new NotSerializable();
  }
  returnsSymbol() {
    return Symbol('returned');
  }
  whoAmI() {
    return { name: this.ctx.id.name ?? null, hasName: this.ctx.id.name !== undefined, id: this.ctx.id.toString(), nameInConstructor: this.nameInConstructor ?? null };
  }
  alarm() {}
  webSocketMessage() {}
  webSocketClose() {}
  webSocketError() {}
  abortNow(reason) {
    this.ctx.abort(reason);
  }
  async failCritical() {
    await this.ctx.blockConcurrencyWhile(async () => {
      throw new TypeError('critical section failed');
    });
  }
  async slowThenAdd(n) {
    // Long enough that the abort sent right after it always lands while it waits, even on a loaded machine.
    await sleep(1500);
    return this.add(n);
  }
  /** Counts its remote calls: JSON.stringify(stub) must not make one. */
  toJSON() {
    this.toJSONCount = (this.toJSONCount ?? 0) + 1;
    return 'remote toJSON';
  }
  toJSONCalls() {
    return this.toJSONCount ?? 0;
  }
  async describeRequest(request) {
    return { method: request.method, url: request.url, headers: [...request.headers], body: await request.text(), redirect: request.redirect };
  }
  async describeResponse(response) {
    return { status: response.status, statusText: response.statusText, headers: [...response.headers], body: await response.text() };
  }
  makeResponse(text) {
    return new Response(text, { status: 202, headers: { 'x-made': 'in object' } });
  }
  echoStub(name) {
    return this.env.ECHO.getByName(name);
  }
  async readStream(stream) {
    return new Response(stream).text();
  }
  makeStream(text) {
    return new Response(text).body;
  }
  streamInObject(text) {
    return { label: 'in an object', body: new Response(text).body };
  }
  size(value) {
    return value.length;
  }
  big(n) {
    return 'y'.repeat(n);
  }
  async persist(key, value) {
    await this.ctx.storage.put(key, value);
    return this.ctx.storage.get(key);
  }
}

/** Not a DurableObject subclass: fetch works, RPC does not. */
export class Plain {
  constructor(ctx, env) {
    this.ctx = ctx;
    this.env = env;
  }
  async fetch() {
    return new Response('plain fetch');
  }
  hello() {
    return 'hello';
  }
}

/** Logs the order in which events and critical sections run. */
export class Ordered extends DurableObject {
  log = ['constructor'];
  constructor(ctx, env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.log.push('constructor critical section: start');
      await sleep(20);
      this.log.push('constructor critical section: end');
    });
  }
  quick(tag) {
    this.log.push(tag);
    return tag;
  }
  async critical(tag, ms) {
    this.log.push(`${tag}: called`);
    const result = await this.ctx.blockConcurrencyWhile(async () => {
      this.log.push(`${tag}: critical start`);
      await sleep(ms);
      this.log.push(`${tag}: critical end`);
      return `${tag} result`;
    });
    return result;
  }
  async sleepy(tag, ms) {
    this.log.push(`${tag}: sleeping`);
    await sleep(ms);
    this.log.push(`${tag}: awake`);
    return tag;
  }
  async nestedCritical() {
    return this.ctx.blockConcurrencyWhile(async () => {
      const inner = await this.ctx.blockConcurrencyWhile(async () => 'inner');
      return `outer(${inner})`;
    });
  }
  getLog() {
    return this.log;
  }
}

/** Mirrors the request back, to compare Request/Response fidelity. */
export class Echo extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    switch (url.pathname) {
      case '/text':
        return new Response('plain text body');
      case '/status':
        return new Response(null, { status: 204, statusText: 'Nothing Here' });
      case '/teapot':
        return new Response('short and stout', { status: 418, statusText: "I'm a teapot", headers: { 'X-Mixed-Case': 'Value' } });
      case '/cookies': {
        const headers = new Headers();
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; HttpOnly');
        headers.append('x-multi', 'one');
        headers.append('x-multi', 'two');
        return new Response('cookies', { headers });
      }
      case '/json':
        return Response.json({ hello: 'world', n: [1, 2] });
      case '/redirect':
        return Response.redirect('https://object.test/text', 302);
      case '/stream': {
        let i = 0;
        const body = new ReadableStream({
          async pull(controller) {
            if (i >= 3) return controller.close();
            await sleep(5);
            controller.enqueue(new TextEncoder().encode(`chunk${i++};`));
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/plain' } });
      }
    }
    const body = new Uint8Array(await request.arrayBuffer());
    return new Response(body.byteLength ? body : null, {
      status: 201,
      statusText: 'Echoed',
      headers: {
        'x-method': request.method,
        'x-url': request.url,
        'x-headers': JSON.stringify([...request.headers]),
        'x-length': String(body.byteLength),
        'x-redirect': request.redirect,
        'x-cf': JSON.stringify(request.cf ?? null),
      },
    });
  }
}

/** Has no fetch handler. */
export class Silent extends DurableObject {}

/** Throws from fetch; counts calls to show it stays alive. */
export class Throws extends DurableObject {
  calls = 0;
  async fetch(request) {
    this.calls++;
    if (new URL(request.url).pathname === '/calls') return new Response(String(this.calls));
    const error = new TypeError('bad thing happened');
    error.detail = { code: 42 };
    throw error;
  }
}

/**
 * DO-API §15's lost-update table: each request reads `n`, awaits X, writes
 * n + 1. Whether concurrent requests lose updates depends on whether X lets
 * other events in (the input gate).
 */
export class Racer extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    const storage = this.ctx.storage;
    if (url.pathname === '/count') return Response.json((await storage.get('n')) ?? 0);
    if (url.pathname === '/ping') return new Response('pong');
    const x = url.searchParams.get('x');
    const step = async () => {
      const v = (await storage.get('n')) ?? 0;
      switch (x) {
        case 'nothing':
          break;
        case 'resolved':
          await Promise.resolve();
          break;
        case 'read':
          await storage.get('other');
          break;
        case 'digest':
          await crypto.subtle.digest('SHA-256', new Uint8Array(1 << 20));
          break;
        case 'timeout0':
          await sleep(0);
          break;
        case 'timeout5':
          await sleep(5);
          break;
        case 'fetch-object':
          await (await this.env.RACER.getByName('pinged').fetch('https://racer/ping')).text();
          break;
      }
      await storage.put('n', v + 1);
    };
    if (url.searchParams.has('bcw')) await this.ctx.blockConcurrencyWhile(step);
    else await step();
    return new Response('ok');
  }
}

/** The Worker. workerd's side of the test calls `/run?id=…`; Hearth's page calls runScenario itself. */
/** WebSockets on the Hibernation API (and one accept()-style mode), for the websocket.* scenarios. */
export class Sockets extends DurableObject {
  async fetch(request) {
    const url = new URL(request.url);
    const [client, server] = Object.values(new WebSocketPair());
    if (url.searchParams.get('mode') === 'accept') {
      server.accept();
      server.addEventListener('message', (e) =>
        server.send(typeof e.data === 'string' ? `echo:${e.data}` : `binary:${Object.prototype.toString.call(e.data)}`),
      );
      return new Response(null, { status: 101, webSocket: client });
    }
    this.ctx.acceptWebSocket(server, url.searchParams.getAll('tag'));
    const attachment = url.searchParams.get('attachment');
    if (attachment) server.serializeAttachment(JSON.parse(attachment));
    return new Response(null, { status: 101, webSocket: client });
  }
  webSocketMessage(ws, message) {
    const text = typeof message === 'string' ? message : `${Object.prototype.toString.call(message)}:${message.byteLength}`;
    (this.log ??= []).push(['message', text]);
    ws.send(`got:${text}`);
  }
  webSocketClose(ws, code, reason, wasClean) {
    (this.log ??= []).push(['close', code, reason, wasClean, ws.readyState]);
  }
  state(tag) {
    const all = this.ctx.getWebSockets();
    return {
      all: all.length,
      tagged: tag === undefined ? all.length : this.ctx.getWebSockets(tag).length,
      tags: all.map((ws) => this.ctx.getTags(ws)),
      attachments: all.map((ws) => ws.deserializeAttachment()),
      log: this.log ?? [],
    };
  }
  bigAttachment() {
    try {
      this.ctx.getWebSockets()[0].serializeAttachment('x'.repeat(17000));
      return 'accepted';
    } catch (e) {
      return `${e.name}: ${e.message}`;
    }
  }
  autoResponse() {
    const pair = this.ctx.getWebSocketAutoResponse();
    return pair && [pair.request, pair.response];
  }
  setAutoResponse(request, response) {
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(request, response));
    return this.autoResponse();
  }
  clearAutoResponse() {
    this.ctx.setWebSocketAutoResponse();
    return this.autoResponse();
  }
  autoTimes() {
    return this.ctx.getWebSockets().map((ws) => this.ctx.getWebSocketAutoResponseTimestamp(ws) !== null);
  }
  closeAll(code, reason) {
    for (const ws of this.ctx.getWebSockets()) ws.close(code, reason);
  }
  errorTexts() {
    const out = {};
    const t = (k, f) => {
      try {
        const v = f();
        out[k] = v === undefined ? 'ok' : v;
      } catch (e) {
        out[k] = `${e.name}: ${e.message}`;
      }
    };
    const pair = () => Object.values(new WebSocketPair());
    const [c, s] = pair();
    t('readyState', () => [c.readyState, s.readyState]);
    t('sendBeforeAccept', () => s.send('x'));
    const [, s2] = pair();
    s2.accept();
    t('code1005', () => s2.close(1005));
    t('code999', () => s2.close(999));
    t('reasonWithoutCode', () => s2.close(undefined, 'x'));
    t('longReason', () => s2.close(1000, 'x'.repeat(124)));
    t('acceptWebSocketAfterAccept', () => this.ctx.acceptWebSocket(s2));
    t('tagsOfAccepted', () => this.ctx.getTags(s2));
    t('tagsOfUnaccepted', () => this.ctx.getTags(c));
    const [c3, s3] = pair();
    this.ctx.acceptWebSocket(s3);
    t('acceptAfterHibernatable', () => s3.accept());
    t('pairAccepted', () => this.ctx.acceptWebSocket(c3));
    t('elevenTags', () => this.ctx.acceptWebSocket(pair()[1], Array.from({ length: 11 }, (_, i) => `t${i}`)));
    t('longTag', () => this.ctx.acceptWebSocket(pair()[1], ['é'.repeat(129)]));
    t('duplicateTags', () => {
      const [, w] = pair();
      this.ctx.acceptWebSocket(w, ['a', 'a', 'b']);
      return this.ctx.getTags(w);
    });
    t('attachment', () => {
      s3.serializeAttachment({ d: new Date(0), m: new Map([[1, 2]]) });
      const a = s3.deserializeAttachment();
      return [a.d instanceof Date, a.m instanceof Map, a.m.get(1)];
    });
    t('noAttachment', () => pair()[1].deserializeAttachment());
    t('bigAutoRequest', () => this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('x'.repeat(2049), 'y')));
    t('bigAutoResponse', () => this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('x', 'y'.repeat(2049))));
    t('eventTimeout', () => {
      const before = this.ctx.getHibernatableWebSocketEventTimeout();
      this.ctx.setHibernatableWebSocketEventTimeout(5000);
      const set = this.ctx.getHibernatableWebSocketEventTimeout();
      this.ctx.setHibernatableWebSocketEventTimeout();
      return [before, set, this.ctx.getHibernatableWebSocketEventTimeout()];
    });
    t('eventTimeoutTooLong', () => this.ctx.setHibernatableWebSocketEventTimeout(604800001));
    t('webSocketWithoutUpgrade', () => new Response(null, { status: 200, webSocket: pair()[0] }));
    t('status101WithoutSocket', () => new Response(null, { status: 101 }));
    t('plainResponse', () => new Response('x').webSocket);
    return out;
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/run') {
      return Response.json(await runScenario(url.searchParams.get('id'), { env, RpcTarget, prefix: '' }));
    }
    if (url.pathname === '/features') return Response.json(await env.RUNNER.getByName('features').features());
    return new Response('differential worker', { status: 404 });
  },
};
