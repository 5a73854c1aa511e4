/** The floor: a dedicated worker that answers every message with itself. */
const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
scope.onmessage = (event) => scope.postMessage(event.data);
