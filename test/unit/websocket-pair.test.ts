/**
 * Cloudflare's WebSocket between the two halves of a WebSocketPair in one
 * context: buffering until accept(), order, the Close handshake (answered
 * automatically without allowHalfOpen), and the checks on close().
 */
import { describe, expect, it } from 'vitest';
import { WebSocketPair } from '../../src/websocket/websocket-pair.ts';
import { checkCloseArguments } from '../../src/websocket/close-codes.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WebSocketPair', () => {
  it('buffers messages until accept() and keeps their order', async () => {
    const { 0: client, 1: server } = new WebSocketPair();
    server.accept();
    server.send('one');
    server.send(new Uint8Array([1, 2]));
    server.send('three');
    await tick();
    const got: unknown[] = [];
    client.binaryType = 'arraybuffer';
    client.addEventListener('message', (e) => got.push((e as MessageEvent).data));
    client.accept();
    await tick();
    expect(got.map((d) => (typeof d === 'string' ? d : (d as ArrayBuffer).byteLength))).toEqual(['one', 2, 'three']);
  });

  it('answers a Close with the same code unless allowHalfOpen, and both ends end CLOSED', async () => {
    const { 0: client, 1: server } = new WebSocketPair();
    client.accept();
    server.accept();
    const closes: unknown[] = [];
    server.addEventListener('close', (e) => closes.push(['server', (e as CloseEvent).code, (e as CloseEvent).reason, (e as CloseEvent).wasClean]));
    client.addEventListener('close', (e) => closes.push(['client', (e as CloseEvent).code, (e as CloseEvent).reason]));
    client.close(4000, 'bye');
    expect(client.readyState).toBe(2);
    await tick();
    await tick();
    expect(closes).toEqual([
      ['server', 4000, 'bye', true],
      ['client', 4000, 'bye'],
    ]);
    expect([client.readyState, server.readyState]).toEqual([3, 3]);
    expect(() => client.send('late')).toThrow("Can't call WebSocket send() after close().");
  });

  it('with allowHalfOpen, a received Close leaves the socket CLOSING until it closes too', async () => {
    const { 0: client, 1: server } = new WebSocketPair();
    client.accept();
    server.accept({ allowHalfOpen: true });
    client.close(1000);
    await tick();
    expect(server.readyState).toBe(2);
    server.close(1000);
    expect(server.readyState).toBe(3);
  });
});

describe('close() arguments', () => {
  it('allows 1000–4999 except the reserved codes, and reasons up to 123 UTF-8 bytes', () => {
    expect(() => checkCloseArguments(1000, 'ok', true)).not.toThrow();
    expect(() => checkCloseArguments(4999, undefined, true)).not.toThrow();
    for (const code of [999, 1004, 1005, 1006, 1015, 5000]) {
      expect(() => checkCloseArguments(code, undefined, true)).toThrow(`Invalid WebSocket close code: ${code}.`);
    }
    expect(() => checkCloseArguments(undefined, 'why', true)).toThrow('If you specify a WebSocket close reason, you must also specify a code.');
    expect(() => checkCloseArguments(1000, 'é'.repeat(62), true)).toThrow('WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.');
    expect(() => checkCloseArguments(1000, 'é'.repeat(62), false)).not.toThrow();
  });
});
