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
 *  - `commitNow`: the reply to a call its caller sent alone (protocol.ts
 *    `CallMessage.alone`) commits the open transaction at once rather than
 *    waiting for it to commit at the end of the turn. Atomicity is promised
 *    only over writes made without an intervening await, and every such run
 *    has ended by the time a reply passes (it passes in a microtask of its
 *    own), so committing here splits no promise; what it gives up is that
 *    events already queued behind this one would have joined the commit —
 *    which a caller waiting for this answer cannot have sent. It saves the
 *    reply a task (docs/performance.md, step 24).
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

  /**
   * Resolves when `output` may leave; rejects with the failed commit's error. `event`: whose output, when known;
   * `commitNow`: commit the open transaction now instead of at the end of the turn (see the top).
   */
  pass(output: GateOutput, event?: number, commitNow = false): Promise<void> {
    const held = this.#txn.holdsOutput;
    const which = event !== undefined ? { output, event } : { output };
    if (held && this.#observer.on) this.#observer.emit({ kind: 'output-held', ...which });
    if (held && commitNow) this.#txn.commit();
    const durable = this.#txn.whenDurable();
    if (!held || !this.#observer.on) return durable;
    return durable.then(
      () => this.#observer.emit({ kind: 'output-released', ok: true, ...which }),
      (error: unknown) => {
        this.#observer.emit({ kind: 'output-released', ok: false, ...which });
        throw error;
      },
    );
  }
}
