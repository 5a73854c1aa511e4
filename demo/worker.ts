// The demo app's Worker: the Counter seed example (demo/counter/worker.js,
// unmodified) for /increment and /decrement, and a chat room for /chat/<room>.
import counter, { Counter } from './counter/worker.js';
import { ChatRoom } from './chat/room.js';

export { Counter, ChatRoom };

interface Env {
  Counter: unknown;
  CHAT: { getByName(name: string): { fetch(request: Request): Promise<Response> } };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const room = url.pathname.match(/^\/chat\/([\w-]{1,64})$/)?.[1];
    if (room) {
      if (request.headers.get('Upgrade') !== 'websocket') return new Response('Expected Upgrade: websocket', { status: 426 });
      return env.CHAT.getByName(room).fetch(request);
    }
    return counter.fetch(request, env);
  },
};
