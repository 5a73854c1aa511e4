/** Lesson 6: WebSocket hibernation — the object sleeps, the socket stays open, a message wakes it. */
import { callsTo, evictionsOf, oneClassProject, result, type Lesson } from './lesson.ts';

const LOBBY = `import { DurableObject } from 'cloudflare:workers';

export class Lobby extends DurableObject {
  constructedAt = new Date().toLocaleTimeString();

  async fetch(request: Request) {
    if (request.headers.get('Upgrade') !== 'websocket') return new Response('Open a WebSocket', { status: 426 });
    const [client, server] = Object.values(new WebSocketPair());
    // The Hibernation API: the runtime holds the socket, so the object may leave memory while it stays open.
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    ws.send(JSON.stringify({ echo: message, constructedAt: this.constructedAt, sockets: this.ctx.getWebSockets().length }));
  }
}
`;

export const hibernation: Lesson = {
  id: 'hibernation',
  title: '6. WebSocket hibernation',
  summary:
    'With ctx.acceptWebSocket(), an object with open sockets and nothing to do can hibernate: it leaves memory, the sockets stay connected, and the next message constructs it again and calls webSocketMessage().',
  // Hibernate after 3 s idle (Cloudflare waits about 10 s).
  project: oneClassProject({ binding: 'LOBBY', className: 'Lobby', file: 'lobby.ts', source: LOBBY, hearth: { idleTimeoutMs: 3000 } }),
  call: { binding: 'LOBBY', name: 'lobby', method: '', args: '', times: 1 },
  steps: [
    'Press "Open WebSocket", then send a message: the reply names when the instance was constructed.',
    'Wait 3 seconds: the object hibernates (the Objects panel shows it idle), the socket stays open.',
    'Send another message on the same socket: a new instance answers (a new constructedAt), with the socket still there.',
  ],
  watch: 'The Timeline shows the instance end ("evicted idle") and a new one start with the next webSocketMessage.',
  docs: [
    { label: 'WebSocket Hibernation API', url: 'https://developers.cloudflare.com/durable-objects/best-practices/websockets/' },
  ],
  check(input) {
    const records = callsTo(input, 'LOBBY', 'lobby');
    const evictions = evictionsOf(input, 'LOBBY', 'lobby');
    // Replies on one connection: the records after the last ws-open before them, with no close in between.
    let woke = false;
    let replies: { at: number; constructedAt: string }[] = [];
    for (const r of records) {
      if (r.kind === 'ws-open' || r.kind === 'ws-close') replies = [];
      if (r.kind !== 'ws-message') continue;
      let parsed: { constructedAt?: string };
      try {
        parsed = JSON.parse(String(r.value));
      } catch {
        continue;
      }
      const reply = { at: r.ended, constructedAt: String(parsed.constructedAt) };
      if (replies.some((p) => p.constructedAt !== reply.constructedAt && evictions.some((e) => e.event.at > p.at && e.event.at < reply.at))) woke = true;
      replies.push(reply);
    }
    return result([
      { text: 'a message on the WebSocket was answered', done: records.some((r) => r.kind === 'ws-message') },
      { text: 'the object hibernated (left memory) while the socket stayed open', done: evictions.length > 0 && records.some((r) => r.kind === 'ws-message') },
      { text: 'a message on the same socket woke a new instance', done: woke },
    ]);
  },
};
