// A chat room on Cloudflare's WebSocket Hibernation API, valid for `wrangler deploy` as it is.
// Each message goes to everyone in the room; the last 50 are kept in SQLite for newcomers.
// While nobody speaks the room hibernates: its worker is gone, the sockets stay connected,
// and "ping" is answered with "pong" without waking it.
import { DurableObject } from 'cloudflare:workers';

declare const WebSocketPair: new () => { 0: WebSocket; 1: WebSocket };
declare const WebSocketRequestResponsePair: new (request: string, response: string) => unknown;
type Socket = WebSocket & { serializeAttachment(value: unknown): void; deserializeAttachment(): any };

export class ChatRoom extends DurableObject {
  constructor(ctx: any, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, at INTEGER, name TEXT, text TEXT)');
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('ping', 'pong'));
  }

  override async fetch(request: Request): Promise<Response> {
    const name = (new URL(request.url).searchParams.get('name') ?? 'anonymous').slice(0, 32);
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, Socket];
    (this.ctx as any).acceptWebSocket(server, [name]);
    server.serializeAttachment({ name });
    const history = this.ctx.storage.sql
      .exec('SELECT at, name, text FROM messages ORDER BY id DESC LIMIT 50')
      .toArray()
      .reverse();
    server.send(JSON.stringify({ type: 'history', messages: history }));
    this.#broadcast({ type: 'joined', name, present: this.#present() });
    return new Response(null, { status: 101, webSocket: client } as ResponseInit);
  }

  async webSocketMessage(ws: Socket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== 'string') return;
    const { name } = ws.deserializeAttachment();
    const entry = { at: Date.now(), name, text: message.slice(0, 2000) };
    this.ctx.storage.sql.exec('INSERT INTO messages (at, name, text) VALUES (?, ?, ?)', entry.at, entry.name, entry.text);
    this.ctx.storage.sql.exec('DELETE FROM messages WHERE id <= (SELECT max(id) - 200 FROM messages)');
    // Sent once the message is durable (the output gate), so nobody sees a message that could be lost.
    this.#broadcast({ type: 'message', ...entry });
  }

  async webSocketClose(ws: Socket): Promise<void> {
    this.#broadcast({ type: 'left', name: ws.deserializeAttachment()?.name, present: this.#present() });
  }

  #present(): string[] {
    return (this.ctx as any).getWebSockets().map((ws: Socket) => ws.deserializeAttachment()?.name);
  }

  #broadcast(event: unknown): void {
    const text = JSON.stringify(event);
    for (const ws of (this.ctx as any).getWebSockets() as Socket[]) {
      try {
        ws.send(text);
      } catch {
        // A socket that is closing: it is about to leave the list.
      }
    }
  }
}
