/**
 * The host's keeping of hibernatable sockets (src/host/socket-keeper.ts),
 * over real MessageChannels: events wait while the object sleeps and the
 * first one wakes it; the auto-response is answered without the object; a
 * client's Close is answered at once by compatibility date.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SocketKeeper } from '../../src/host/socket-keeper.ts';
import type { HostToObject, ObjectAddress, SocketFrame } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-Room', className: 'Room', id: 'c'.repeat(64) };
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));
const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((p) => p.close()));

function setup(autoReplyToClose = true) {
  let live = false;
  const posted: HostToObject[] = [];
  const wakes: ObjectAddress[] = [];
  const keeper = new SocketKeeper({
    post: (_key, message) => {
      if (!live) return false;
      posted.push(message);
      return true;
    },
    wake: async (a) => {
      wakes.push(a);
      live = true;
      return true;
    },
    autoReplyToClose,
    holderLock: 'hearth:host:test',
  });
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const client: SocketFrame[] = [];
  port2.onmessage = (e) => client.push(e.data);
  keeper.adopt('k', address, 's1', port1, ['t']);
  return { keeper, client, send: (f: SocketFrame) => port2.postMessage(f), posted, wakes, setLive: (v: boolean) => (live = v) };
}

describe('SocketKeeper', () => {
  it('holds messages while the object sleeps, wakes it once, and delivers them in order', async () => {
    const { send, posted, wakes, keeper } = setup();
    send({ t: 'm', d: 'one' });
    send({ t: 'm', d: 'two' });
    await tick();
    expect(wakes).toHaveLength(1);
    expect(posted.map((m) => (m.type === 'ws-event' && m.event.kind === 'message' ? m.event.data : m.type))).toEqual(['one', 'two']);
    expect(keeper.snapshot('k')?.sockets).toEqual([{ sid: 's1', tags: ['t'], attachment: null, autoResponseAt: null, readyState: 1 }]);
  });

  it('answers the auto-response without the object and records when', async () => {
    const { keeper, send, client, posted, wakes } = setup();
    keeper.settings('k', address, ['ping', 'pong'], null);
    send({ t: 'm', d: 'ping' });
    await tick();
    expect(client.filter((f) => f.t === 'm')).toEqual([{ t: 'm', d: 'pong' }]);
    expect(wakes).toHaveLength(0);
    expect(posted).toHaveLength(0);
    expect(keeper.snapshot('k')?.sockets[0]?.autoResponseAt).toEqual(expect.any(Number));
  });

  it('answers a Close at once by compatibility date, then forgets the socket once the object heard it', async () => {
    const { keeper, send, client, posted, setLive } = setup(true);
    setLive(true);
    send({ t: 'c', code: 4000, reason: 'bye' });
    await tick();
    expect(client.filter((f) => f.t === 'c')).toEqual([{ t: 'c', code: 4000, reason: 'bye' }]);
    expect(posted).toEqual([{ type: 'ws-event', sid: 's1', event: { kind: 'close', code: 4000, reason: 'bye', wasClean: true, readyState: 3 } }]);
    expect(keeper.snapshot('k')?.sockets).toEqual([]);
  });

  it('before 2026-04-07 leaves the Close to the object (CLOSING until it closes)', async () => {
    const { keeper, send, client, posted, setLive } = setup(false);
    setLive(true);
    send({ t: 'c', code: 4000, reason: 'bye' });
    await tick();
    expect(client.filter((f) => f.t === 'c')).toEqual([]);
    expect(posted[0]).toMatchObject({ event: { kind: 'close', readyState: 2 } });
    keeper.send('k', 's1', { t: 'c', code: 4000, reason: 'bye' });
    await tick();
    expect(client.filter((f) => f.t === 'c')).toEqual([{ t: 'c', code: 4000, reason: 'bye' }]);
    expect(keeper.snapshot('k')?.sockets).toEqual([]);
  });
});
