/**
 * The chat page: a browser-standard WebSocket to the Worker's /chat/<room>
 * route (`runtime.WebSocket`), reconnecting when the connection drops (for
 * example when the tab hosting the room closes and the room moves here).
 */
import { start } from '../../src/index.ts';

const runtime = await start();
const room = new URLSearchParams(location.search).get('room') ?? 'lobby';
const me = `${['ada', 'bo', 'cy', 'dee', 'eli', 'flo'][Math.floor(Math.random() * 6)]}-${runtime.hostId.slice(0, 3)}`;
document.querySelector('#room')!.textContent = room;
document.querySelector('#me')!.textContent = me;
const log = document.querySelector<HTMLUListElement>('#log')!;
const status = document.querySelector('#status')!;
let socket: WebSocket | undefined;

function line(meta: string, text = ''): void {
  const li = document.createElement('li');
  const span = document.createElement('span');
  span.className = 'meta';
  span.textContent = meta;
  li.append(span, ` ${text}`);
  log.append(li);
  log.scrollTop = log.scrollHeight;
}

function connect(): void {
  const ws = new runtime.WebSocket(`/chat/${encodeURIComponent(room)}?name=${encodeURIComponent(me)}`) as unknown as WebSocket;
  socket = ws;
  ws.onopen = () => (status.textContent = 'connected');
  ws.onmessage = (event) => {
    const data = JSON.parse(event.data as string);
    if (data.type === 'history') for (const m of data.messages) line(`${m.name}:`, m.text);
    else if (data.type === 'message') line(`${data.name}:`, data.text);
    else {
      line(`— ${data.name} ${data.type}`);
      document.querySelector('#present')!.textContent = data.present.join(', ');
    }
  };
  ws.onclose = (event) => {
    status.textContent = `disconnected (${event.code}), reconnecting…`;
    setTimeout(connect, 1000);
  };
}

document.querySelector<HTMLFormElement>('#send')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.querySelector<HTMLInputElement>('#text')!;
  if (input.value && socket?.readyState === WebSocket.OPEN) socket.send(input.value);
  input.value = '';
});

connect();
