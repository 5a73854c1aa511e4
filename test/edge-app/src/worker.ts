/**
 * The Worker the edge tests drive: plain Cloudflare code (`wrangler deploy`
 * would take it) whose routes exercise the edge — bindings, vars, ctx, errors.
 */
import { DurableObject, env as workersEnv, waitUntil } from 'cloudflare:workers';
// Types: Hearth's own, which follow @cloudflare/workers-types' shapes.
import type { DurableObjectNamespace } from '../../../src/caller/namespace.ts';
import type { DurableObjectState } from '../../../src/object/state.ts';
import type { ExecutionContext } from '../../../src/edge/worker-handler.ts';

declare const WebSocketPair: new () => { 0: any; 1: any };

interface Env {
  NOTES: DurableObjectNamespace;
  ROOM: DurableObjectNamespace;
  GHOST: DurableObjectNamespace;
  GREETING: string;
}

/** A list of notes in SQLite, per object. */
export class Notes extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  }

  add(text: string): number {
    this.ctx.storage.sql.exec('INSERT INTO notes (text) VALUES (?)', text);
    return this.list().length;
  }

  list(): string[] {
    return this.ctx.storage.sql.exec<{ text: string }>('SELECT text FROM notes ORDER BY id').toArray().map((r) => r.text);
  }

  override async fetch(request: Request): Promise<Response> {
    return Response.json({ notes: this.list(), url: request.url, method: request.method });
  }
}

/** A chat room on the Hibernation API: every message goes to every socket. */
export class Room extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const [client, server] = Object.values(new WebSocketPair());
    const name = new URL(request.url).searchParams.get('name') ?? 'anonymous';
    this.ctx.acceptWebSocket(server, [name]);
    server.serializeAttachment({ name });
    const protocol = request.headers.get('Sec-WebSocket-Protocol')?.split(',')[0]?.trim();
    const headers: Record<string, string> = protocol ? { 'Sec-WebSocket-Protocol': protocol } : {};
    return new Response(null, { status: 101, webSocket: client, headers } as ResponseInit);
  }

  async webSocketMessage(ws: any, message: string | ArrayBuffer): Promise<void> {
    const { name } = ws.deserializeAttachment();
    const text = typeof message === 'string' ? message : `${message.byteLength} bytes`;
    for (const other of this.ctx.getWebSockets()) other.send(`${name}: ${text}`);
  }
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    const [, , route, name = 'default'] = url.pathname.split('/');
    const notes = env.NOTES.getByName(name);
    switch (route) {
      case 'notes':
        if (request.method === 'POST') return Response.json({ count: await notes.add(await request.text()) });
        return Response.json(await notes.list());
      case 'forward':
        return notes.fetch(request);
      case 'room':
        // An upgrade goes to the room, whose socket the edge hands straight to the page.
        if (request.headers.get('Upgrade') !== 'websocket') return new Response('Expected Upgrade: websocket', { status: 426 });
        return env.ROOM.getByName(name).fetch(request);
      case 'worker-socket': {
        // A socket the Worker itself serves.
        const [client, server] = Object.values(new WebSocketPair());
        server.accept();
        server.addEventListener('message', (event: MessageEvent) => server.send(`worker: ${event.data}`));
        return new Response(null, { status: 101, webSocket: client } as ResponseInit);
      }
      case 'vars':
        return new Response(env.GREETING);
      case 'cf':
        return Response.json({ cf: (request as Request & { cf?: unknown }).cf ?? null, ip: request.headers.get('CF-Connecting-IP') });
      case 'workers-env': {
        // `import { env, waitUntil } from 'cloudflare:workers'`: the same bindings; waitUntil keeps a write going.
        waitUntil(notes.add('via-waitUntil'));
        return Response.json({ greeting: workersEnv.GREETING, sameNotes: workersEnv.NOTES === env.NOTES });
      }
      case 'later':
        // Answer now; the write finishes under ctx.waitUntil.
        ctx.waitUntil(notes.add(`later:${url.searchParams.get('text')}`));
        return new Response('accepted', { status: 202 });
      case 'relative':
        return notes.fetch('/relative/path');
      case 'unknown-binding':
        return (env as unknown as Record<string, DurableObjectNamespace>).NOPE!.getByName('x').fetch(request);
      case 'unknown-class':
        return env.GHOST.getByName('x').fetch(request);
      case 'throws':
        throw new Error('the Worker failed on purpose');
      case 'never':
        // A fetch that never answers: keeps its service worker busy (edge-waiting-behind-a-busy-edge.spec.ts).
        return new Promise<Response>(() => {});
      case 'pass-through':
        ctx.passThroughOnException();
        throw new Error('fall through to the network');
      case 'not-a-response':
        return 'just a string' as unknown as Response;
      case 'log': {
        // The Worker's console, for the devtools' Logs panel (as `edge`).
        const text = url.searchParams.get('text');
        if (url.searchParams.get('level') === 'warn') console.warn('the edge warns:', text, { n: 1 });
        else console.log('the edge says:', text);
        return new Response('logged');
      }
      default:
        return new Response('no such route', { status: 404 });
    }
  },
};
