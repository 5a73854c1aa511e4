/**
 * The object the chaos suite hammers. Every execution of a call is recorded in
 * the object's own storage — its call id and the instance that ran it — in the
 * same turn (so the same commit) as the call's effect, so the suite can count
 * calls applied twice, acknowledged calls that were lost, and instances that
 * overlapped. Plain Cloudflare code: `wrangler deploy` would take it.
 *
 * `fault: 'ack-before-write'` is a deliberately broken object for the suite to
 * catch: it answers first and writes later, so a crash in between loses an
 * acknowledged call. `fault: 'hang'` never answers.
 */
import { DurableObject } from 'cloudflare:workers';
import type { DurableObjectNamespace } from '../../../src/caller/namespace.ts';
import type { DurableObjectState } from '../../../src/object/state.ts';

interface Env {
  TALLY: DurableObjectNamespace;
}

export type Execution = {
  seq: number;
  call_id: string;
  instance: string;
  /** Who sent it: `page`, or `edge:<id of the service worker's run that sent it>`. */
  origin: string;
};

/**
 * Each start of the service worker runs this module afresh: the id tells the
 * suite which run of the edge sent a call. Chromium dispatches a fetch event
 * again (to the restarted worker) when the service worker stopped before
 * answering it — even a POST — so one page `fetch()` can reach the object
 * twice, from two runs. That is the browser's re-send, not Hearth's; the suite
 * counts it apart (docs/reliability.md).
 */
const edgeRun = crypto.randomUUID().slice(0, 8);

export class Tally extends DurableObject<Env> {
  readonly instance = crypto.randomUUID();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS executions (seq INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, instance TEXT NOT NULL, origin TEXT NOT NULL, at REAL NOT NULL)',
    );
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS padding (id INTEGER PRIMARY KEY, bytes TEXT NOT NULL)');
  }

  apply(callId: string, fault?: string, padding = 0, origin = 'page'): string | Promise<string> {
    if (typeof callId !== 'string' || callId.length === 0) throw new TypeError('apply() needs a call id.');
    if (fault === 'hang') return new Promise<string>(() => {}) as unknown as string; // never answers: the suite must count it hung
    if (fault === 'ack-before-write') {
      setTimeout(() => this.#record(callId, padding, origin), 400);
      return this.instance;
    }
    this.#record(callId, padding, origin);
    return this.instance;
  }

  #record(callId: string, padding: number, origin: string): void {
    this.ctx.storage.sql.exec(
      'INSERT INTO executions (call_id, instance, origin, at) VALUES (?, ?, ?, ?)',
      callId,
      this.instance,
      origin,
      Date.now(),
    );
    if (padding > 0) this.ctx.storage.sql.exec('INSERT INTO padding (bytes) VALUES (?)', 'p'.repeat(padding));
  }

  log(): Execution[] {
    return this.ctx.storage.sql.exec<Execution>('SELECT seq, call_id, instance, origin FROM executions ORDER BY seq').toArray();
  }

  /** Store anything in KV: the bad-input probe (values storage cannot take must be refused clearly). */
  async keep(value: unknown): Promise<void> {
    await this.ctx.storage.put('kept', value);
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/api/apply') return new Response('not found', { status: 404 });
    const stub = env.TALLY.getByName(url.searchParams.get('name') ?? '') as unknown as Tally;
    try {
      const instance = await stub.apply(url.searchParams.get('call') ?? '', url.searchParams.get('fault') ?? undefined, 0, `edge:${edgeRun}`);
      return Response.json({ instance });
    } catch (error) {
      const e = error as Error & { retryable?: boolean };
      return Response.json({ error: { name: e.name, message: e.message, retryable: e.retryable === true } }, { status: 500 });
    }
  },
};
