/**
 * `fetch` events: a caller's `stub.fetch(request)`, delivered to the object's
 * `fetch(request)` handler. The response travels back as a `WireResponse`
 * (bodies as bytes, or transferred streams).
 */
import type { CallPayload } from '../../protocol.ts';
import { responseToWire, wireToRequest } from '../../wire/http.ts';
import type { Delivered, EventKind } from './event-kind.ts';

type FetchPayload = Extract<CallPayload, { kind: 'fetch' }>;

export const fetchEvent: EventKind<FetchPayload> = {
  label: (payload) => `fetch ${payload.request.method} ${new URL(payload.request.url).pathname}`,

  async deliver({ instance }, payload): Promise<Delivered> {
    const handler = instance.fetch;
    if (typeof handler !== 'function') throw new Error('Handler does not export a fetch() function.');
    const request = wireToRequest(payload.request);
    const response = (await handler.call(instance, request)) as Response;
    const { wire, transfer } = await responseToWire(response);
    return { value: wire, transfer };
  },
};
