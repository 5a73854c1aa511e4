/**
 * The output gate: nothing an object says to the outside world leaves before
 * the writes that preceded it are durable, so nobody outside ever learns of a
 * write that could still be lost (DESIGN.md §5, DO-API §6).
 *
 * The rule, kept only here — every path out of the object passes `pass()`:
 *  - *Output* is a reply or an error reply (`ObjectRuntime`), an outgoing
 *    `fetch()` (`gated-globals.ts`), a call to another object (the worker's
 *    connection pool), a call into a function a caller passed in
 *    (`caller-session.ts`) and a WebSocket frame (`send`: websocket/socket-context.ts).
 *  - `pass()` resolves once every confirmed write made so far is durable.
 *    Which writes those are is the transaction's knowledge
 *    (`ImplicitTransaction.whenDurable`): `allowUnconfirmed` writes alone do
 *    not hold output, and an open explicit transaction holds it only when it
 *    commits.
 *  - If that commit fails, `pass()` rejects with the commit's error: the
 *    output never leaves, the object resets (the transaction reports the
 *    failure), and a held reply becomes that error instead.
 *  - A reply passes the gate once, after its value is ready: writes the
 *    handler made are behind it; the commit is not waited for twice.
 */
import type { GateOutput } from '../protocol.ts';
import type { ImplicitTransaction } from '../storage/implicit-transaction.ts';
import type { GateObserver } from './gate-observer.ts';

export class OutputGate {
  readonly #txn: ImplicitTransaction;
  readonly #observer: GateObserver;

  constructor(txn: ImplicitTransaction, observer: GateObserver) {
    this.#txn = txn;
    this.#observer = observer;
  }

  /** Resolves when `output` may leave; rejects with the failed commit's error. `event`: whose output, when known. */
  pass(output: GateOutput, event?: number): Promise<void> {
    const durable = this.#txn.whenDurable();
    if (!this.#observer.on || !this.#txn.holdsOutput) return durable;
    const which = event !== undefined ? { output, event } : { output };
    this.#observer.emit({ kind: 'output-held', ...which });
    return durable.then(
      () => this.#observer.emit({ kind: 'output-released', ok: true, ...which }),
      (error: unknown) => {
        this.#observer.emit({ kind: 'output-released', ok: false, ...which });
        throw error;
      },
    );
  }
}
