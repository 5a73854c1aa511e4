/**
 * The globals an object's code uses for I/O, wrapped so the gates see them —
 * the runtime owns the worker's global scope, as workerd owns an isolate's:
 *
 *  - `crypto.subtle.*` holds the input gate while pending (workerd computes
 *    it synchronously, so no other event can slip in while it is awaited);
 *  - `fetch()` waits for the output gate before the request leaves, so no
 *    outsider hears of a write before it is durable.
 *
 * Installed before the app's module is evaluated (module code may capture
 * `fetch`), which a spare worker does before it knows its object; the gates
 * are bound later, when the object starts (`bindGates`). Until then there is
 * no object and no event — workerd refuses I/O at module scope — so the
 * wrappers pass straight through.
 */
import type { InputGate } from './input-gate.ts';

let gates: { input: InputGate; output: () => Promise<void> } | undefined;
let installed = false;

export function installGatedGlobals(): void {
  if (installed) return;
  installed = true;
  const subtle = Object.getPrototypeOf(crypto.subtle) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(subtle)) {
    const original = subtle[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    Object.defineProperty(subtle, name, {
      configurable: true,
      writable: true,
      value: function (this: SubtleCrypto, ...args: unknown[]) {
        const pending = (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        return gates ? gates.input.hold(pending) : pending;
      },
    });
  }

  const nativeFetch = globalThis.fetch;
  globalThis.fetch = async function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    if (gates) await gates.output();
    return nativeFetch(input, init);
  };
}

/** The object this worker runs: its gates now guard the wrapped globals. */
export function bindGates(inputGate: InputGate, outputGate: () => Promise<void>): void {
  installGatedGlobals();
  gates = { input: inputGate, output: outputGate };
}
