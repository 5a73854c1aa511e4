/**
 * Durable Objects with WebSockets for the end-to-end tests: valid Cloudflare
 * code (each would deploy unchanged).
 */
import { DurableObject } from 'cloudflare:workers';
import type { DurableObjectState } from '../../src/object/state.ts';

declare const WebSocketPair: new () => { 0: any; 1: any };
declare const WebSocketRequestResponsePair: new (request: string, response: string) => unknown;

/** A chat room on the Hibernation API: every message goes to every socket, with the sender's name. */
export class ChatRoom extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    // Counts constructions, so a test can see the object woke from hibernation.
    ctx.storage.kv.put('constructed', ((ctx.storage.kv.get('constructed') as number | undefined) ?? 0) + 1);
  }

  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.headers.get('Upgrade') === 'websocket') {
      const name = url.searchParams.get('name') ?? 'anonymous';
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server, [name, 'room']);
      server.serializeAttachment({ name, joined: 1 });
      return new Response(null, { status: 101, webSocket: client } as ResponseInit);
    }
    if (url.pathname === '/auto-response') {
      this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong') as any);
      return new Response('set');
    }
    return Response.json(this.state());
  }

  state() {
    return {
      constructed: this.ctx.storage.kv.get('constructed'),
      sockets: this.ctx.getWebSockets().map((ws: any) => ({ tags: this.ctx.getTags(ws), attachment: ws.deserializeAttachment() })),
      closes: this.ctx.storage.kv.get('closes') ?? [],
      autoResponse: (this.ctx.getWebSocketAutoResponse() as any)?.response ?? null,
      autoResponseAt: this.ctx.getWebSockets().map((ws: any) => this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? null),
    };
  }

  async webSocketMessage(ws: any, message: string | ArrayBuffer): Promise<void> {
    const { name } = ws.deserializeAttachment() as { name: string };
    if (message === 'bad-write') {
      // A write whose commit fails (a deferred foreign key), then a send: the send must never leave.
      const sql = this.ctx.storage.sql;
      sql.exec('CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY)');
      sql.exec('CREATE TABLE IF NOT EXISTS posts (user_id INTEGER REFERENCES users (id))');
      this.ctx.storage.transactionSync(() => {
        sql.exec('PRAGMA defer_foreign_keys = ON');
        sql.exec('INSERT INTO posts VALUES (42)');
      });
      ws.send('sent after a write that never became durable');
      return;
    }
    if (message === 'good-write') {
      this.ctx.storage.kv.put('last', name);
      ws.send(`durable: ${this.ctx.storage.kv.get('last')}`);
      return;
    }
    if (message === 'set-timeout') {
      this.ctx.setHibernatableWebSocketEventTimeout(300);
      ws.send(`timeout ${this.ctx.getHibernatableWebSocketEventTimeout()}`);
      return;
    }
    if (message === 'slow') {
      // A handler that outlives the event timeout: the object is shut down, and what it sends after never leaves.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      ws.send('finished after the timeout');
      return;
    }
    if (message === 'state') {
      ws.send(JSON.stringify(this.state()));
      return;
    }
    const text = typeof message === 'string' ? message : `${message.byteLength} bytes`;
    for (const other of this.ctx.getWebSockets()) other.send(`${name}: ${text}`);
  }

  async webSocketClose(ws: any, code: number, reason: string, wasClean: boolean): Promise<void> {
    const closes = (this.ctx.storage.kv.get('closes') as unknown[] | undefined) ?? [];
    closes.push({ name: ws.deserializeAttachment()?.name, code, reason, wasClean });
    this.ctx.storage.kv.put('closes', closes);
  }
}

/** The standard API: `accept()` and event listeners; echoes what it gets. */
export class EchoSocket extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    const [client, server] = Object.values(new WebSocketPair());
    const path = new URL(request.url).pathname;
    if (path === '/return-accepted') {
      client.accept();
      return new Response(null, { status: 101, webSocket: client } as ResponseInit);
    }
    if (path === '/return-hibernatable') {
      this.ctx.acceptWebSocket(client);
      return new Response(null, { status: 101, webSocket: client } as ResponseInit);
    }
    server.accept();
    server.binaryType = 'arraybuffer';
    server.addEventListener('message', (event: MessageEvent) => {
      const data = event.data;
      if (data === 'spin') for (;;); // never yields: the CPU limit ends this worker
      server.send(typeof data === 'string' ? `echo: ${data}` : data);
    });
    server.addEventListener('close', (event: CloseEvent) => {
      this.ctx.storage.kv.put('closed', { code: event.code, reason: event.reason, wasClean: event.wasClean });
    });
    return new Response(null, { status: 101, webSocket: client, headers: { "x-echo": "yes" } } as ResponseInit);
  }

  closed() {
    return this.ctx.storage.kv.get('closed') ?? null;
  }
}
