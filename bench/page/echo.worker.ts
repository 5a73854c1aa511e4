/**
 * The floor: a dedicated worker that answers every message with itself. After
 * a `{ mode: 'ack' }` message it first posts a small acknowledgement too (the
 * profile's "two messages back per call", as Hearth's `accepted` + reply).
 */
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
let ack = false;
scope.onmessage = (event) => {
  const data = event.data as { mode?: string; cid?: number } | undefined;
  if (data && typeof data === 'object' && 'mode' in data) {
    ack = data.mode === 'ack';
    scope.postMessage('mode');
    return;
  }
  if (ack) scope.postMessage({ t: 'accepted', cid: data?.cid ?? 0 });
  scope.postMessage(event.data);
};
