/**
 * Every error text of DO-API §8 (WebSocketPair, Cloudflare's WebSocket, the
 * Hibernation API), raised inside a real object with workerd's names and
 * messages (checked against workerd 2026-07-30).
 */
import { test, expect } from './fixtures.ts';

const CODE = `async (storage, ctx) => {
  const out = {};
  const t = (k, f) => { try { const v = f(); out[k] = v === undefined ? 'ok' : v; } catch (e) { out[k] = e.name + ': ' + e.message; } };
  const pair = () => Object.values(new WebSocketPair());
  out.pairKeys = Object.keys(new WebSocketPair());
  const [c, s] = pair();
  t('readyState', () => [c.readyState, s.readyState]);
  t('sendBeforeAccept', () => s.send('x'));
  t('closeBeforeAccept', () => s.close(1000));
  const [c2, s2] = pair();
  s2.accept();
  t('code1005', () => s2.close(1005));
  t('code999', () => s2.close(999));
  t('code5000', () => s2.close(5000));
  t('reasonWithoutCode', () => s2.close(undefined, 'x'));
  t('longReason', () => s2.close(1000, 'x'.repeat(124)));
  t('sendAfterClose', () => { const [, w] = pair(); w.accept(); w.close(1000); w.send('x'); });
  t('acceptWebSocketAfterAccept', () => ctx.acceptWebSocket(s2));
  const [c3, s3] = pair();
  ctx.acceptWebSocket(s3);
  t('acceptAfterAcceptWebSocket', () => s3.accept());
  t('pairAlreadyAccepted', () => ctx.acceptWebSocket(c3));
  const [c4, s4] = pair();
  new Response(null, { status: 101, webSocket: c4 });
  t('pairInResponse', () => ctx.acceptWebSocket(s4));
  t('tagsOfAccepted', () => ctx.getTags(s2));
  t('tagsOfUnaccepted', () => ctx.getTags(c));
  t('elevenTags', () => ctx.acceptWebSocket(pair()[1], Array.from({ length: 11 }, (_, i) => 't' + i)));
  t('longTag', () => ctx.acceptWebSocket(pair()[1], ['é'.repeat(129)]));
  t('duplicateTags', () => { const [, w] = pair(); ctx.acceptWebSocket(w, ['a', 'a', 'b']); return ctx.getTags(w); });
  t('bigAttachment', () => s3.serializeAttachment('x'.repeat(17000)));
  t('noAttachment', () => s3.deserializeAttachment());
  t('functionAttachment', () => s3.serializeAttachment(() => 1));
  t('bigAutoRequest', () => ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('x'.repeat(2049), 'y')));
  t('bigAutoResponse', () => ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('x', 'y'.repeat(2049))));
  t('noAutoResponse', () => ctx.getWebSocketAutoResponse());
  t('noAutoResponseTimestamp', () => ctx.getWebSocketAutoResponseTimestamp(s3));
  t('eventTimeoutTooLong', () => ctx.setHibernatableWebSocketEventTimeout(604800001));
  t('eventTimeoutNegative', () => ctx.setHibernatableWebSocketEventTimeout(-1));
  t('noEventTimeout', () => ctx.getHibernatableWebSocketEventTimeout());
  t('webSocketWithoutUpgrade', () => new Response(null, { status: 200, webSocket: pair()[0] }));
  t('status101WithoutSocket', () => new Response(null, { status: 101 }));
  t('plainResponseWebSocket', () => new Response('x').webSocket);
  return out;
}`;

test('WebSocketPair, WebSocket and the Hibernation API raise workerd’s errors with its exact texts', async ({ app }) => {
  const result = await app.evaluate((code) => window.hearth.probe('ws-errors', code), CODE);
  expect(result).toEqual({
    ok: true,
    value: {
      pairKeys: ['0', '1'],
      readyState: [1, 1],
      sendBeforeAccept: 'TypeError: You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.',
      closeBeforeAccept: 'TypeError: You must call one of accept() or state.acceptWebSocket() on this WebSocket before sending messages.',
      code1005: 'InvalidAccessError: Invalid WebSocket close code: 1005.',
      code999: 'InvalidAccessError: Invalid WebSocket close code: 999.',
      code5000: 'InvalidAccessError: Invalid WebSocket close code: 5000.',
      reasonWithoutCode: 'InvalidAccessError: If you specify a WebSocket close reason, you must also specify a code.',
      longReason: 'SyntaxError: WebSocket close reason must not be longer than 123 bytes when UTF-8 encoded.',
      sendAfterClose: "TypeError: Can't call WebSocket send() after close().",
      acceptWebSocketAfterAccept: 'Error: Cannot call `acceptWebSocket()` if the WebSocket was already accepted via `accept()`',
      acceptAfterAcceptWebSocket: "TypeError: Can't accept() WebSocket after enabling hibernation.",
      pairAlreadyAccepted: 'Error: Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.',
      pairInResponse: 'Error: Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been accepted or used in a Response.',
      tagsOfAccepted: 'Error: only hibernatable websockets can have tags.',
      tagsOfUnaccepted: "Error: you must call 'acceptWebSocket()' before attempting to access the tags of a WebSocket.",
      elevenTags: 'Error: a Hibernatable WebSocket cannot have more than 10 tags',
      longTag: `Error: "${'é'.repeat(129)}" is longer than the max tag length (256 characters).`,
      duplicateTags: ['a', 'b'],
      bigAttachment: "Error: A WebSocket 'attachment' cannot be larger than 16384 bytes.'attachment' was 17006 bytes.",
      noAttachment: null,
      functionAttachment: 'DataCloneError: () => 1 could not be cloned.',
      bigAutoRequest: 'RangeError: Request cannot be larger than 2048 bytes. A request of size 2049 was provided.',
      bigAutoResponse: 'RangeError: Response cannot be larger than 2048 bytes. A response of size 2049 was provided.',
      noAutoResponse: null,
      noAutoResponseTimestamp: null,
      eventTimeoutTooLong: 'Error: Event timeout should not exceed 604800000 ms.',
      eventTimeoutNegative: 'TypeError: The value cannot be converted because it is negative and this API expects a positive number.',
      noEventTimeout: null,
      webSocketWithoutUpgrade: 'RangeError: Responses with a WebSocket must have status code 101.',
      status101WithoutSocket: 'RangeError: Responses may only be constructed with status codes in the range 200 to 599, inclusive.',
      plainResponseWebSocket: null,
    },
  });
});

test('returning an accepted socket in a Response fails the call with workerd’s text', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const stub = window.hearth.stub('ECHO_SOCKET', 'returns');
    const attempt = (path: string) => window.hearth.settle(stub.fetch(`https://echo.test${path}`, { headers: { Upgrade: 'websocket' } }));
    const message = (r: { error?: { name: string; message: string } }) => `${r.error?.name}: ${r.error?.message}`;
    return {
      accepted: message(await attempt('/return-accepted')),
      hibernatable: message(await attempt('/return-hibernatable')),
    };
  });
  expect(result).toEqual({
    accepted: "TypeError: Can't return WebSocket in a Response after calling accept().",
    hibernatable: "TypeError: Can't return WebSocket in a Response after calling acceptWebSocket().",
  });
});
