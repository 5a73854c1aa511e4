/**
 * The Durable Object classes the benchmark drives, and the Worker that drives
 * them under workerd. Plain JavaScript that is valid Cloudflare code: Hearth
 * loads it as the app's main module (bench/page/main.ts), and the miniflare
 * peer in bench/run.mjs loads the very same file into workerd unbundled.
 */
import { DurableObject } from 'cloudflare:workers';
import { drive } from './driver.js';

/** The storage-touching object: every method is one of the benchmark's rows. */
export class Counter extends DurableObject {
  /** `stub.fetch` row: one get + one put (one implicit transaction) per request. */
  async fetch() {
    const value = ((await this.ctx.storage.get('value')) ?? 0) + 1;
    await this.ctx.storage.put('value', value);
    return new Response(String(value));
  }

  /** RPC row: the same get + put as `fetch`, called as a method. */
  async increment() {
    const value = ((await this.ctx.storage.get('value')) ?? 0) + 1;
    await this.ctx.storage.put('value', value);
    return value;
  }

  /** What `increment` and `fetch` stored (no write): the data check after the 1,000-object row. */
  async read() {
    return (await this.ctx.storage.get('value')) ?? 0;
  }

  /** Durable-writes row: one awaited put of a new key per call. */
  async write(key, value) {
    await this.ctx.storage.put(key, value);
  }

  /** `n` puts issued without awaiting, then all awaited: the write-coalescing row. */
  async burst(prefix, n) {
    const writes = [];
    for (let i = 0; i < n; i++) writes.push(this.ctx.storage.put(`${prefix}${i}`, i));
    await Promise.all(writes);
    return n;
  }

  /** `n` SQL inserts inside one `transactionSync`; returns the table's row count. */
  sqlBulk(n) {
    const sql = this.ctx.storage.sql;
    sql.exec('CREATE TABLE IF NOT EXISTS bulk (id INTEGER PRIMARY KEY, label TEXT NOT NULL, amount REAL NOT NULL)');
    this.ctx.storage.transactionSync(() => {
      for (let i = 0; i < n; i++) sql.exec('INSERT INTO bulk (label, amount) VALUES (?, ?)', `row ${i}`, i * 0.5);
    });
    return sql.exec('SELECT count(*) AS n FROM bulk').one().n;
  }
}

/** Touches no storage: the cost of the call path alone. */
export class Noop extends DurableObject {
  async fetch() {
    return new Response('ok');
  }

  ping() {
    return 'pong';
  }
}

/** A room on the WebSocket Hibernation API: echoes a message, or sends "all" to every socket. */
export class Room extends DurableObject {
  async fetch() {
    const [client, server] = Object.values(new WebSocketPair());
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  webSocketMessage(ws, message) {
    if (message === 'all') {
      for (const socket of this.ctx.getWebSockets()) socket.send('fan-out');
    } else {
      ws.send(message);
    }
  }
}

/** The alarm-lateness row: how late `alarm()` starts after the time set, with nobody calling. */
export class Alarm extends DurableObject {
  async arm(inMs) {
    await this.ctx.storage.delete('late');
    await this.ctx.storage.setAlarm(Date.now() + inMs);
  }

  async alarm(info) {
    await this.ctx.storage.put('late', Date.now() - info.scheduledTime);
  }

  async lateness() {
    return (await this.ctx.storage.get('late')) ?? null;
  }
}

export default {
  /**
   * Under workerd, bench/run.mjs posts `{ op, params }` to `/drive` and this
   * Worker runs the same loop the Hearth page runs (driver.js), so both sides
   * time caller → object from a caller inside their own runtime. Any other
   * request is an increment on one Counter: the hook for the "edge fetch" row
   * once Hearth's edge (service worker) serves this Worker.
   */
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/drive') {
      const { op, params } = await request.json();
      return Response.json(await drive(op, env, params, () => performance.now()));
    }
    // The edge profile's Worker-only fetch (npm run bench:profile --edge): no object behind it.
    if (url.pathname === '/edge/ping') return new Response('1');
    // …and its RPC-only fetch: `n` no-storage calls from the service worker to one object, in one request.
    if (url.pathname === '/edge/object-pings') {
      const stub = env.NOOP.getByName(url.searchParams.get('name') ?? 'edge');
      const n = Number(url.searchParams.get('n') ?? 1);
      for (let i = 0; i < n; i++) await stub.ping();
      return new Response(String(n));
    }
    // …and `n` stub.fetch calls from the service worker, in one request.
    if (url.pathname === '/edge/object-fetches') {
      const stub = env.COUNTER.getByName(url.searchParams.get('name') ?? 'edge');
      const n = Number(url.searchParams.get('n') ?? 1);
      for (let i = 0; i < n; i++) await (await stub.fetch('https://counter/')).text();
      return new Response(String(n));
    }
    return env.COUNTER.getByName(url.searchParams.get('name') ?? 'edge').fetch(request);
  },
};
