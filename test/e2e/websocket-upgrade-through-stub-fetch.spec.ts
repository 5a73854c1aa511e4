/**
 * `stub.fetch(url, { headers: { Upgrade: 'websocket' } })` from a page
 * resolves to a 101 Response whose `.webSocket` is Cloudflare's WebSocket:
 * the caller calls `accept()`, as a Worker would, and frames then go between
 * the page and the object directly.
 */
import { test, expect } from './fixtures.ts';

test('a page upgrades through a stub, accepts the socket, and talks to an accept()-style object', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const stub = window.hearth.stub('ECHO_SOCKET', 'e1');
    const response = await stub.fetch('https://echo.test/', { headers: { Upgrade: 'websocket' } });
    const ws = (response as any).webSocket;
    const got: unknown[] = [];
    const closed = new Promise<unknown>((resolve) =>
      ws.addEventListener('close', (e: CloseEvent) => resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean })),
    );
    const two = new Promise<void>((resolve) =>
      ws.addEventListener('message', (e: MessageEvent) => {
        got.push(typeof e.data === 'string' ? e.data : `${e.data.constructor.name}:${e.data.byteLength}`);
        if (got.length === 2) resolve();
      }),
    );
    ws.binaryType = 'arraybuffer';
    ws.accept();
    ws.send('hello');
    ws.send(new Uint8Array([1, 2, 3]));
    await two;
    ws.close(4000, 'bye');
    const close = await closed;
    // The object saw the Close too.
    let seen = null;
    for (let i = 0; i < 50 && !seen; i++) {
      seen = await (stub as any).closed();
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    return {
      status: response.status,
      header: response.headers.get('x-echo'),
      got,
      close,
      readyState: ws.readyState,
      seen,
    };
  });
  expect(result).toEqual({
    status: 101,
    header: 'yes',
    got: ['echo: hello', 'ArrayBuffer:3'],
    close: { code: 4000, reason: 'bye', wasClean: true },
    readyState: 3,
    seen: { code: 4000, reason: 'bye', wasClean: true },
  });
});

test('an object upgrades through a stub to another object and talks to it', async ({ app }) => {
  const result = await app.evaluate(() =>
    window.hearth.probe(
      'ws-caller',
      `async (storage, ctx, self) => {
        const response = await self.env.ECHO_SOCKET.getByName('called-by-an-object').fetch('https://echo.test/', { headers: { Upgrade: 'websocket' } });
        const ws = response.webSocket;
        ws.accept();
        const got = new Promise((resolve) => ws.addEventListener('message', (e) => resolve(e.data)));
        ws.send('from an object');
        const message = await got;
        ws.close(1000, 'done');
        return { status: response.status, message };
      }`,
    ),
  );
  expect(result).toEqual({ ok: true, value: { status: 101, message: 'echo: from an object' } });
});
