/** The project the playground opens with when there is no link, no lesson and nothing saved. */
import type { Project } from './project.ts';

const WORKER = `// The Worker's main module: it exports the Durable Object classes, and a fetch handler for the Worker.
export { Room } from './room.ts';

export default {
  fetch: () => new Response('The playground calls objects directly; try the call panel.'),
};
`;

const ROOM = `import { DurableObject } from 'cloudflare:workers';

// Try: edit a method, Deploy (Ctrl/Cmd+Enter), and call it again — the count survives, the code changes.
export class Room extends DurableObject {
  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS events (at INTEGER, what TEXT)');
  }

  increment(by = 1) {
    const count = (this.ctx.storage.kv.get<number>('count') ?? 0) + by;
    this.ctx.storage.kv.put('count', count);
    this.ctx.storage.sql.exec('INSERT INTO events VALUES (?, ?)', Date.now(), 'increment ' + by);
    return count;
  }

  history() {
    return this.ctx.storage.sql.exec('SELECT what FROM events ORDER BY at DESC LIMIT 5').toArray();
  }

  async slow(ms = 3000) {
    // Deploy while this runs: the call fails with the code-update reset.
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'finished after ' + ms + ' ms';
  }

  async remindIn(ms = 2000) {
    // An alarm fires with nobody calling: close this tab after setting one, open another, and it still runs.
    await this.ctx.storage.setAlarm(Date.now() + ms);
    return this.ctx.storage.getAlarm();
  }

  async alarm(info: AlarmInvocationInfo) {
    // Throw here to watch the retries (2 s, 4 s, 8 s… with info.retryCount counting up).
    this.ctx.storage.sql.exec('INSERT INTO events VALUES (?, ?)', Date.now(), 'alarm' + (info.isRetry ? ' retry ' + info.retryCount : ''));
  }

  async fetch(request: Request) {
    if (request.headers.get('Upgrade') === 'websocket') {
      // A WebSocket on the Hibernation API: it stays open while the object sleeps.
      const [client, server] = Object.values(new WebSocketPair());
      this.ctx.acceptWebSocket(server);
      return new Response(null, { status: 101, webSocket: client });
    }
    return new Response('Room ' + this.ctx.id.name + ' has count ' + (this.ctx.storage.kv.get<number>('count') ?? 0));
  }

  webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    ws.send('Room ' + this.ctx.id.name + ' (count ' + (this.ctx.storage.kv.get<number>('count') ?? 0) + ') got: ' + message);
  }
}
`;

const CONFIG = `{
  "name": "playground",
  "main": "worker.ts",
  "compatibility_date": "2026-07-01",
  "durable_objects": { "bindings": [{ "name": "ROOM", "class_name": "Room" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["Room"] }]
}
`;

export const DEFAULT_PROJECT: Project = {
  files: [
    { name: 'worker.ts', text: WORKER },
    { name: 'room.ts', text: ROOM },
    { name: 'wrangler.jsonc', text: CONFIG },
  ],
};
