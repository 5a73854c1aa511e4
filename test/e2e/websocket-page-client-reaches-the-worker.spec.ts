/**
 * `new runtime.WebSocket(url, protocols)` on a page: the browser's WebSocket
 * interface, answered by the app's Worker with an `Upgrade: websocket`
 * request. The Worker forwards it to a room object, whose socket reaches the
 * page directly; or it serves the socket itself. `patchGlobalWebSocket`
 * lets unmodified code say `new WebSocket('/api/…')`.
 */
import { expect, test } from '@playwright/test';
import { EDGE_APP_PORT } from '../../playwright.config.ts';
import { openEdgeApp } from './edge-app-page.ts';

test('runtime.WebSocket opens, negotiates a subprotocol, exchanges text and binary, and closes cleanly', async ({ page }) => {
  await openEdgeApp(page);
  const result = await page.evaluate(async () => {
    const runtime = (window as any).runtime;
    const events: string[] = [];
    const ws = new runtime.WebSocket('/api/room/r1?name=ann', ['chat.v2', 'chat.v1']);
    const initial = { readyState: ws.readyState, url: ws.url, binaryType: ws.binaryType };
    ws.onopen = () => events.push('open');
    await new Promise((resolve) => ws.addEventListener('open', resolve));
    ws.binaryType = 'arraybuffer';
    const got: unknown[] = [];
    const three = new Promise<void>((resolve) =>
      ws.addEventListener('message', (e: MessageEvent) => {
        got.push(e.data);
        if (got.length === 3) resolve();
      }),
    );
    ws.send('one');
    ws.send(new Uint8Array([1, 2, 3, 4]));
    ws.send(new Blob(['three']));
    await three;
    const closed = new Promise<any>((resolve) =>
      ws.addEventListener('close', (e: CloseEvent) => resolve({ code: e.code, reason: e.reason, wasClean: e.wasClean })),
    );
    ws.close(1000, 'done');
    const closing = ws.readyState;
    const close = await closed;
    const errors: Record<string, string> = {};
    const attempt = (name: string, fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        errors[name] = `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    attempt('badScheme', () => new runtime.WebSocket('ftp://x/'));
    attempt('fragment', () => new runtime.WebSocket('/api/room/x#frag'));
    attempt('otherOrigin', () => new runtime.WebSocket('wss://example.com/api/room/x'));
    attempt('closeCode', () => ws.close(1001));
    const connecting = new runtime.WebSocket('/api/room/r1');
    attempt('sendWhileConnecting', () => connecting.send('x'));
    connecting.close();
    return { initial, events, protocol: ws.protocol, got, closing, close, readyState: ws.readyState, errors };
  });
  expect(result).toEqual({
    initial: { readyState: 0, url: `ws://localhost:${EDGE_APP_PORT}/api/room/r1?name=ann`, binaryType: 'blob' },
    events: ['open'],
    protocol: 'chat.v2',
    got: ['ann: one', 'ann: 4 bytes', 'ann: 5 bytes'],
    closing: 2,
    close: { code: 1000, reason: 'done', wasClean: true },
    readyState: 3,
    errors: {
      badScheme: "SyntaxError: Failed to construct 'WebSocket': The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. 'ftp:' is not allowed.",
      fragment: "SyntaxError: Failed to construct 'WebSocket': The URL contains a fragment identifier ('#frag'). Fragment identifiers are not allowed in WebSocket URLs.",
      otherOrigin: `SyntaxError: Failed to construct 'WebSocket': Hearth's WebSocket reaches this app's Worker only; wss://example.com/api/room/x is not on ${`http://localhost:${EDGE_APP_PORT}`}.`,
      closeCode: "InvalidAccessError: Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. 1001 is neither.",
      sendWhileConnecting: "InvalidStateError: Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.",
    },
  });
});

test('a socket the Worker serves itself, and a refused upgrade, behave as in a browser', async ({ page }) => {
  await openEdgeApp(page);
  const result = await page.evaluate(async () => {
    const runtime = (window as any).runtime;
    const ws = new runtime.WebSocket('/api/worker-socket/x');
    await new Promise((resolve) => (ws.onopen = resolve));
    ws.send('hi');
    const echoed = await new Promise((resolve) => (ws.onmessage = (e: MessageEvent) => resolve(e.data)));
    ws.close();
    // The Worker answers 426 without an upgrade: error, then close 1006.
    const refused = new runtime.WebSocket('/api/notes/x');
    const events: unknown[] = [];
    refused.onerror = () => events.push('error');
    await new Promise<void>((resolve) =>
      (refused.onclose = (e: CloseEvent) => {
        events.push({ code: e.code, wasClean: e.wasClean });
        resolve();
      }),
    );
    return { echoed, events };
  });
  expect(result).toEqual({ echoed: 'worker: hi', events: ['error', { code: 1006, wasClean: false }] });
});

test('patchGlobalWebSocket sends route URLs to the Worker and everything else to the browser', async ({ page }) => {
  await openEdgeApp(page);
  const result = await page.evaluate(async () => {
    const Native = WebSocket;
    const unpatch = (window as any).patchGlobalWebSocket((window as any).runtime);
    const ws = new WebSocket('/api/room/patched?name=zed');
    await new Promise((resolve) => (ws.onopen = resolve));
    ws.send('plain code');
    const got = await new Promise((resolve) => (ws.onmessage = (e) => resolve(e.data)));
    const outside = new WebSocket(`ws://localhost:9/`);
    const kinds = [ws instanceof WebSocket, outside instanceof WebSocket, Object.getPrototypeOf(outside) === Native.prototype];
    outside.onerror = () => {};
    ws.close();
    unpatch();
    return { got, kinds, restored: WebSocket === Native, constants: [ws.OPEN, ws.CLOSED] };
  });
  expect(result).toEqual({ got: 'zed: plain code', kinds: [true, true, true], restored: true, constants: [1, 3] });
});
