/**
 * Durable Object classes the end-to-end tests drive. Each is valid Cloudflare
 * code: it would deploy unchanged.
 */
import { DurableObject, RpcTarget, env as workersEnv, waitUntil } from 'cloudflare:workers';
import type { DurableObjectState } from '../../src/object/state.ts';

export { Counter } from '../../demo/counter/worker.js';
export { ChatRoom, EchoSocket } from './websocket-classes.js';

/** Runs test code inside the object, so the storage API is exercised exactly as an object uses it. */
export class Probe extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    const code = await request.text();
    try {
      const fn = (0, eval)(`(${code})`) as (storage: unknown, ctx: unknown, self: unknown) => unknown;
      const value = await fn(this.ctx.storage, this.ctx, this);
      return Response.json({ ok: true, value: value === undefined ? null : value });
    } catch (error) {
      const e = error as Error & Record<string, unknown>;
      return Response.json({ ok: false, error: { ...e, name: e?.name, message: e?.message } });
    }
  }
}

/** The same probe on a KV-backed class (declared with `new_classes`): production KV limits apply. */
export class KvProbe extends Probe {}

/** Counts increments and logs every construction, to watch uniqueness and eviction. */
export class Ledger extends DurableObject {
  readonly instance = crypto.randomUUID();
  live = 0;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      const log = ((await ctx.storage.get('constructions')) as string[] | undefined) ?? [];
      log.push(this.instance);
      await ctx.storage.put('constructions', log);
    });
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/increment') {
      const n = ((await this.ctx.storage.get('n')) as number | undefined) ?? 0;
      await this.ctx.storage.put('n', n + 1);
      this.live++;
      return Response.json({ n: n + 1, instance: this.instance });
    }
    if (url.pathname === '/slow-increment') {
      // Accepted, then holds the call open: lets a test kill the host mid-call.
      const n = ((await this.ctx.storage.get('n')) as number | undefined) ?? 0;
      await this.ctx.storage.put('n', n + 1);
      await new Promise((r) => setTimeout(r, Number(url.searchParams.get('ms') ?? 60_000)));
      return Response.json({ n: n + 1, instance: this.instance });
    }
    return Response.json({
      n: ((await this.ctx.storage.get('n')) as number | undefined) ?? 0,
      constructions: (await this.ctx.storage.get('constructions')) ?? [],
      instance: this.instance,
      live: this.live,
      name: this.ctx.id.name ?? null,
      id: this.ctx.id.toString(),
    });
  }
}

/** Mirrors the request back, to check Request/Response fidelity across the boundary. */
export class Echo extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/stream') {
      // A streamed response that arrives in several chunks.
      const chunks = Number(url.searchParams.get('chunks') ?? 3);
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (i >= chunks) return controller.close();
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(new TextEncoder().encode(`chunk${i++};`));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/plain' } });
    }
    if (url.pathname === '/redirect') return Response.redirect('https://echo.test/landing', 302);
    if (url.pathname === '/landing') return new Response('landed');
    if (url.pathname === '/cookies') {
      return new Response('cookies', {
        headers: [
          ['set-cookie', 'a=1; Path=/'],
          ['set-cookie', 'b=2; HttpOnly'],
        ],
      });
    }
    if (url.pathname === '/status') {
      return new Response(null, { status: 204, statusText: 'Nothing Here' });
    }
    const body = new Uint8Array(await request.arrayBuffer());
    let sum = 0;
    for (const b of body) sum = (sum + b) % 65521;
    return new Response(body.byteLength ? body : null, {
      status: 201,
      statusText: 'Echoed',
      headers: {
        'x-method': request.method,
        'x-url': request.url,
        'x-headers': JSON.stringify([...request.headers]),
        'x-length': String(body.byteLength),
        'x-sum': String(sum),
        'x-cf': JSON.stringify((request as Request & { cf?: unknown }).cf ?? null),
      },
    });
  }
}

/** Throws from its constructor while storage says so, to check that the next request constructs again. */
export class Fragile extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    const flag = (globalThis as { __fragileFlag?: boolean }).__fragileFlag;
    if (!flag) {
      (globalThis as { __fragileFlag?: boolean }).__fragileFlag = true;
      const error = new RangeError('constructor refused');
      (error as RangeError & { code: string }).code = 'E_FRAGILE';
      throw error;
    }
  }

  override async fetch(): Promise<Response> {
    return new Response('constructed');
  }
}

/** Has no fetch handler. */
export class Silent extends DurableObject {}

/** Throws from fetch: the error reaches the caller with remote: true, and the object stays alive. */
export class Throws extends DurableObject {
  calls = 0;
  override async fetch(request: Request): Promise<Response> {
    this.calls++;
    if (new URL(request.url).pathname === '/calls') return new Response(String(this.calls));
    const error = new TypeError('bad thing happened');
    (error as TypeError & { detail: unknown }).detail = { code: 42 };
    throw error;
  }
}

/** Spins forever on request, to check that a runaway object is reset and the others are not. */
export class Spinner extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === '/spin') {
      await this.ctx.storage.put('spun', true);
      for (;;) {
        // never yields
      }
    }
    return Response.json({ spun: (await this.ctx.storage.get('spun')) ?? false });
  }
}

export default {
  async fetch(): Promise<Response> {
    return new Response('ok');
  },
};

/** A counter handed out by reference over RPC. */
export class CounterTarget extends RpcTarget {
  #n = 0;
  inc(by = 1): number {
    this.#n += by;
    return this.#n;
  }
  get value(): number {
    return this.#n;
  }
}

class NotSerializable {
  x = 1;
}

/** JS RPC surface: methods, getters, callbacks, targets, errors, storage. */
/** Read while the module's top level runs (in an object worker, often a spare loading it ahead of any object). */
const topLevelBindings = Object.keys(workersEnv).sort();

export class Calculator extends DurableObject {
  total = 0;
  instanceArrow = () => 'not reachable';

  add(n: number): number {
    this.total += n;
    return this.total;
  }
  get current(): number {
    return this.total;
  }
  async addLater(n: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 5));
    return this.add(n);
  }
  async persist(key: string, value: unknown): Promise<unknown> {
    await this.ctx.storage.put(key, value);
    return this.ctx.storage.get(key);
  }
  echo<T>(value: T): T {
    return value;
  }
  counter(): CounterTarget {
    return new CounterTarget();
  }
  nested() {
    return { inner: { double: (x: number) => x * 2 }, label: 'plain' };
  }
  async callBack(fn: (x: number) => Promise<number>): Promise<number> {
    return (await fn(20)) + 1;
  }
  fail(): never {
    const error = new RangeError('calculator refused');
    (error as RangeError & { code: string }).code = 'E_CALC';
    throw error;
  }
  returnsClass(): NotSerializable {
    return new NotSerializable();
  }
  alarm(): void {}
  abortNow(reason?: string): void {
    this.ctx.abort(reason);
  }
  async failCritical(): Promise<void> {
    await this.ctx.blockConcurrencyWhile(async () => {
      throw new TypeError('critical section failed');
    });
  }
  async slowThenAdd(n: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 200));
    return this.add(n);
  }
  keepBusy(ms: number): void {
    this.ctx.waitUntil(new Promise((r) => setTimeout(r, ms)));
  }
  /** What `import { env, waitUntil } from 'cloudflare:workers'` gives inside an object. */
  async workersImports(): Promise<unknown> {
    let ran = false;
    waitUntil(Promise.resolve().then(() => (ran = true)));
    waitUntil(Promise.reject(new Error('a rejected waitUntil is logged, not thrown')));
    await new Promise((r) => setTimeout(r, 0));
    const own = (this as unknown as { env: Record<string, unknown> }).env;
    return {
      sameCounter: workersEnv.COUNTER === own.COUNTER,
      hasCounter: 'COUNTER' in workersEnv,
      keys: Object.keys(workersEnv).sort(),
      topLevelKeys: topLevelBindings,
      waitUntilRan: ran,
    };
  }
  /** Use an env binding by name, reporting what happened. */
  useBinding(name: string): unknown {
    const own = (this as unknown as { env: Record<string, any> }).env;
    try {
      own[name].get('key');
      return { threw: false };
    } catch (error) {
      return { threw: true, message: (error as Error).message, readable: own[name] !== undefined };
    }
  }
}

/**
 * DO-API §15's lost-update table: each request reads `n`, awaits X, writes
 * n + 1. Whether concurrent requests lose updates depends on whether X lets
 * other events in (the input gate).
 */
export class Racer extends DurableObject<{ RACER: { getByName(n: string): { fetch(u: string): Promise<Response> } } }> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const storage = this.ctx.storage;
    if (url.pathname === '/count') return Response.json((await storage.get('n')) ?? 0);
    if (url.pathname === '/ping') return new Response('pong');
    const x = url.searchParams.get('x')!;
    const step = async () => {
      const v = ((await storage.get('n')) as number | undefined) ?? 0;
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
          await new Promise((r) => setTimeout(r, 0));
          break;
        case 'timeout5':
          await new Promise((r) => setTimeout(r, 5));
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

/**
 * Holds a call open until another call releases it, so a test controls
 * exactly when an in-flight call would finish; counts its constructions in
 * storage, so a test can see how many instances ever ran.
 */
export class Latch extends DurableObject {
  #release: (() => void) | undefined;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      await ctx.storage.put('constructions', (((await ctx.storage.get('constructions')) as number | undefined) ?? 0) + 1);
    });
  }

  /** Accepted, then waits until `release()` is called (on this same instance). */
  async hold(): Promise<string> {
    await new Promise<void>((resolve) => (this.#release = resolve));
    return 'released';
  }

  release(): boolean {
    const release = this.#release;
    this.#release = undefined;
    release?.();
    return release !== undefined;
  }

  async constructions(): Promise<number> {
    return ((await this.ctx.storage.get('constructions')) as number | undefined) ?? 0;
  }
}

/** The probe under other class names, for renamed_classes and transferred_classes migrations. */
export class RenamedProbe extends Probe {}
export class TransferredProbe extends Probe {}

/**
 * Alarms under test. Every run of `alarm()` is logged in storage (its
 * alarmInfo, when it started, what `getAlarm()` said inside); what the handler
 * does next is the function source stored under `handler` (given the run
 * number, 0-based, and `(info, storage, ctx)`), so one class serves every
 * alarm test. `run(code)` evaluates code inside the object like Probe's fetch.
 */
export class Alarmist extends DurableObject {
  /** In-memory runs: survives a throwing alarm (the object is not reset), not an eviction. */
  memoryRuns = 0;

  /** `args` after `(storage, ctx, self)`: values only RPC carries, e.g. a storage snapshot. */
  async run(code: string, ...args: unknown[]): Promise<unknown> {
    const fn = (0, eval)(`(${code})`) as (storage: unknown, ctx: unknown, self: unknown, ...args: unknown[]) => unknown;
    const value = await fn(this.ctx.storage, this.ctx, this, ...args);
    return value === undefined ? null : value;
  }

  async runs(): Promise<{ retryCount: number; isRetry: boolean; scheduledTime: number; startedAt: number; getAlarm: number | null; memoryRuns: number }[]> {
    return ((await this.ctx.storage.get('runs')) as never[] | undefined) ?? [];
  }

  async alarm(info: { retryCount: number; isRetry: boolean; scheduledTime: number }): Promise<void> {
    const startedAt = Date.now();
    this.memoryRuns++;
    const runs = await this.runs();
    const entry = { retryCount: info.retryCount, isRetry: info.isRetry, scheduledTime: info.scheduledTime, startedAt, getAlarm: await this.ctx.storage.getAlarm(), memoryRuns: this.memoryRuns };
    runs.push(entry);
    await this.ctx.storage.put('runs', runs);
    const code = (await this.ctx.storage.get('handler')) as string | undefined;
    if (code) {
      const fn = (0, eval)(`(${code})`) as (n: number, info: unknown, storage: unknown, ctx: unknown) => unknown;
      await fn(runs.length - 1, info, this.ctx.storage, this.ctx);
    }
  }
}
