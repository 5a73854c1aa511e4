/**
 * The globals an object's code uses for I/O, wrapped so the gates see them —
 * the runtime owns the worker's global scope, as workerd owns an isolate's:
 *
 *  - `crypto.subtle.*` holds the input gate while pending (workerd computes
 *    it synchronously, so no other event can slip in while it is awaited);
 *  - `fetch()` waits for the output gate before the request leaves, so no
 *    outsider hears of a write before it is durable.
 */
import type { InputGate } from './input-gate.ts';

export function installGatedGlobals(inputGate: InputGate, outputGate: () => Promise<void>): void {
  const subtle = Object.getPrototypeOf(crypto.subtle) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(subtle)) {
    const original = subtle[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    Object.defineProperty(subtle, name, {
      configurable: true,
      writable: true,
      value: function (this: SubtleCrypto, ...args: unknown[]) {
        return inputGate.hold((original as (...a: unknown[]) => Promise<unknown>).apply(this, args));
      },
    });
  }

  const nativeFetch = globalThis.fetch;
  globalThis.fetch = async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    await outputGate();
    return nativeFetch(input, init);
  };
}
