/**
 * A caller's connection to one object: sends calls over the direct endpoint the
 * coordinator brokered, and makes sure every call settles — and that no call
 * ever runs twice because it was re-sent.
 *
 * Exactly once (DESIGN §4.5). A call posted to an endpoint may have been run
 * and committed even when its `accepted` never arrived: the host tab can die
 * (reload, crash) with the reply still in flight, and the coordinator's `lost`
 * travels on another channel, so it can overtake the object's own last
 * messages. So "not accepted" is never inferred from silence. A call is sent
 * again only when the object itself has said it will not run it:
 *  - `retry` for that call: the instance is stopping and refused it unrun;
 *  - `closed`: the instance runs nothing more. It posts `closed` only after
 *    every call it took has its answer (`ok`/`err`) and it stopped taking
 *    more, on the same endpoint, so a call unanswered (and not `accepted`)
 *    when `closed` arrives never ran. (Objects no longer send `accepted`: the
 *    answer is the acknowledgement, one message fewer per call. An object of
 *    an older version still does, and it is still honoured.)
 * Calls never posted at all (waiting for an endpoint) are of course free to go.
 * Everything else that was posted and is unsettled when the instance is lost
 * fails with `Network connection lost.` (`retryable: true`): it may have run.
 * (The alternative — the object remembering call ids it ran, in the same
 * commit as their writes — would add tables a user's SQL can see.)
 *
 * On `lost`, the endpoint stays open for a short drain (`LOST_DRAIN_MS`): the
 * object's last `accepted`/`ok`/`closed`/`retry` may still be on the way, and
 * they are better answers than a failure. Only the drain's end fails calls.
 *
 * The other promises kept here (STYLE.md §7):
 *  - A call whose body was a transferred stream cannot be re-sent (the stream
 *    went with the first attempt); it fails as retryable instead.
 *  - Re-sending is bounded, so nothing loops forever.
 *  - A call *pinned* to an epoch (a call on a stub the object returned earlier)
 *    only ever goes to that instance: it fails as retryable once it is gone.
 */
import { deserializeError, flagged, networkConnectionLost } from '../errors.ts';
import { LOST_DRAIN_MS, type CallMessage, type CallPayload, type ObjectAddress, type ToCaller, type ToObject } from '../protocol.ts';

export interface Endpoint {
  post(message: ToObject, transfer: Transferable[]): void;
  /** Route this endpoint's messages to `handler` (replaces any earlier handler). */
  listen(handler: (message: ToCaller) => void): void;
  close(): void;
}

/** The object's answer, and which instance gave it. */
export interface CallResult {
  value: unknown;
  epoch: number;
}

/** The object calling into a function the caller passed it (see rpc-client.ts). */
export type InvokeHandler = (epoch: number, message: Extract<ToCaller, { t: 'invoke' }>) => void;

export interface Resolution {
  epoch: number;
  endpoint: Endpoint;
}

export interface Resolver {
  resolve(address: ObjectAddress, staleEpoch?: number): Promise<Resolution>;
}

interface PendingCall {
  cid: number;
  payload: CallPayload;
  transfer: Transferable[];
  /** The epoch the call was last sent to; undefined while waiting for an endpoint. */
  epoch?: number;
  /** Only this epoch may run the call. */
  pin?: number;
  accepted: boolean;
  attempts: number;
  resolve(value: CallResult): void;
  reject(error: Error): void;
}

const MAX_ATTEMPTS = 20;

export interface Connector {
  /** One connection per object per context, shared by all its stubs. */
  connectionFor(address: ObjectAddress): ObjectConnection;
}

export class ObjectConnection {
  readonly address: ObjectAddress;
  readonly #resolver: Resolver;
  /** Where new calls go. */
  #current: Resolution | undefined;
  /** Every endpoint that may still answer calls sent to it, by epoch. */
  #endpoints = new Map<number, Endpoint>();
  #resolving: Promise<void> | undefined;
  #staleEpoch: number | undefined;
  #pending = new Map<number, PendingCall>();
  #unsent: PendingCall[] = [];
  /** Epochs the coordinator reported lost, each with the timer that ends its drain. */
  #lost = new Map<number, ReturnType<typeof setTimeout>>();
  #nextCid = 1;
  onInvoke: InvokeHandler | undefined;
  /** The pool this connection belongs to: stubs received over it are made there (see rpc-value.ts). */
  connector: Connector | undefined;

  readonly #beforeSend: (() => Promise<void>) | undefined;

  /** `beforeSend`: inside an object, outgoing calls wait for its output gate. */
  constructor(address: ObjectAddress, resolver: Resolver, beforeSend?: () => Promise<void>) {
    this.address = address;
    this.#resolver = resolver;
    this.#beforeSend = beforeSend;
  }

  async call(payload: CallPayload, transfer: Transferable[], pin?: number): Promise<CallResult> {
    if (this.#beforeSend) await this.#beforeSend();
    return new Promise((resolve, reject) => {
      const call: PendingCall = { cid: this.#nextCid++, payload, transfer, accepted: false, attempts: 0, resolve, reject };
      if (pin !== undefined) call.pin = pin;
      this.#pending.set(call.cid, call);
      this.#send(call);
    });
  }

  #send(call: PendingCall): void {
    if (call.attempts >= MAX_ATTEMPTS) {
      this.#settle(call, undefined, flagged(new Error('Durable Object could not be reached after repeated attempts.'), { retryable: true }));
      return;
    }
    if (call.pin !== undefined) {
      // Only the instance that handed out this stub knows what it refers to: never re-send elsewhere.
      const endpoint = this.#endpoints.get(call.pin);
      if (!endpoint || call.attempts > 0 || this.#lost.has(call.pin)) {
        this.#settle(call, undefined, networkConnectionLost());
        return;
      }
      call.attempts++;
      call.epoch = call.pin;
      endpoint.post(this.#message(call), call.transfer);
      return;
    }
    const current = this.#current;
    if (!current) {
      call.epoch = undefined;
      this.#unsent.push(call);
      this.#connect();
      return;
    }
    call.attempts++;
    call.epoch = current.epoch;
    try {
      current.endpoint.post(this.#message(call), call.transfer);
    } catch (error) {
      this.#settle(call, undefined, error as Error);
    }
  }

  /** The wire form of `call`: `alone` when no other call of this connection is outstanding (see CallMessage). */
  #message(call: PendingCall): CallMessage {
    const message: CallMessage = { t: 'call', cid: call.cid, payload: call.payload };
    if (this.#pending.size === 1) message.alone = true;
    return message;
  }

  #connect(): void {
    if (this.#resolving) return;
    const stale = this.#staleEpoch;
    this.#staleEpoch = undefined;
    this.#resolving = this.#resolver.resolve(this.address, stale).then(
      (resolution) => {
        this.#resolving = undefined;
        this.#current = resolution;
        this.#endpoints.set(resolution.epoch, resolution.endpoint);
        resolution.endpoint.listen((reply) => this.#onReply(resolution.epoch, reply));
        const unsent = this.#unsent;
        this.#unsent = [];
        for (const call of unsent) this.#send(call);
      },
      (error: Error) => {
        this.#resolving = undefined;
        const unsent = this.#unsent;
        this.#unsent = [];
        for (const call of unsent) this.#settle(call, undefined, error);
      },
    );
  }

  #onReply(epoch: number, reply: ToCaller): void {
    if (reply.t === 'closed') {
      this.#closed(epoch);
      return;
    }
    if (reply.t === 'invoke') {
      this.onInvoke?.(epoch, reply);
      return;
    }
    const call = this.#pending.get(reply.cid);
    if (!call || call.epoch !== epoch) return;
    switch (reply.t) {
      case 'accepted':
        call.accepted = true;
        return;
      case 'retry':
        // The object is stopping and refused this call before running it. Calls
        // it already accepted still get their answers on the old endpoint.
        if (this.#current?.epoch === epoch) {
          this.#current = undefined;
          this.#markStale(epoch);
        }
        this.#resend(call);
        return;
      case 'ok':
        this.#settle(call, { value: reply.value, epoch });
        return;
      case 'err':
        this.#settle(call, undefined, deserializeError(reply.error));
        return;
    }
  }

  /**
   * The coordinator (or a host-lock watch) says the object at `epoch` is gone
   * (its tab died, or it stopped). `error` says why, when the host knew (e.g.
   * the CPU limit). New calls go elsewhere at once; calls already posted
   * there wait out the drain (see the top of this file), then fail.
   */
  lost(epoch: number, error?: Error): void {
    // Asking again, say it is stale. The notice may come from a host-lock watch that heard of the tab's death
    // before the coordinator did: unwarned, the coordinator would broker another port into the same dead tab,
    // and the next call would be lost with it. Told, it waits until it hears, then places the object afresh.
    if (!this.#current || this.#current.epoch === epoch) this.#markStale(epoch);
    if (this.#current?.epoch === epoch) this.#current = undefined;
    if (!this.#endpoints.has(epoch) || this.#lost.has(epoch)) return;
    if (![...this.#pending.values()].some((call) => call.epoch === epoch)) {
      this.#forget(epoch);
      return;
    }
    this.#lost.set(
      epoch,
      setTimeout(() => {
        this.#forget(epoch);
        // Posted, never refused, never answered: it may have run. Never re-send it.
        for (const call of [...this.#pending.values()]) {
          if (call.epoch === epoch) this.#settle(call, undefined, error ?? networkConnectionLost());
        }
      }, LOST_DRAIN_MS),
    );
  }

  /** The instance at `epoch` said it runs nothing more: re-send what it never accepted, fail what it had. */
  #closed(epoch: number): void {
    // The coordinator may not have heard yet that this instance stopped: asking again, say it is stale,
    // so it waits for the `stopped` rather than broker another port to the same instance.
    if (!this.#current || this.#current.epoch === epoch) this.#markStale(epoch);
    this.#forget(epoch);
    for (const call of [...this.#pending.values()]) {
      if (call.epoch !== epoch) continue;
      if (call.accepted) this.#settle(call, undefined, networkConnectionLost());
      else this.#resend(call);
    }
  }

  /**
   * Name `epoch` as stale in the next resolve. Epochs only grow: a late notice
   * about an older instance must not take back the mark of a newer one.
   */
  #markStale(epoch: number): void {
    this.#staleEpoch = Math.max(this.#staleEpoch ?? epoch, epoch);
  }

  #forget(epoch: number): void {
    if (this.#current?.epoch === epoch) this.#current = undefined;
    clearTimeout(this.#lost.get(epoch));
    this.#lost.delete(epoch);
    this.#endpoints.get(epoch)?.close();
    this.#endpoints.delete(epoch);
  }

  #resend(call: PendingCall): void {
    if (call.transfer.length > 0) {
      // The body stream went with the first attempt and cannot be sent again.
      this.#settle(call, undefined, networkConnectionLost());
      return;
    }
    call.accepted = false;
    this.#send(call);
  }

  /** Send a message outside any call (an `invoked` answer, a `release`) to the instance at `epoch`, if it is still there. */
  post(epoch: number, message: ToObject, transfer: Transferable[] = []): void {
    this.#endpoints.get(epoch)?.post(message, transfer);
  }

  /** Settle with `value`, or reject when called with a third argument (whatever was thrown, even `undefined`). */
  #settle(call: PendingCall, value?: CallResult, ...error: [unknown?]): void {
    if (!this.#pending.delete(call.cid)) return;
    if (error.length) call.reject(error[0] as Error);
    else call.resolve(value!);
  }

  /** Fail everything still waiting (the runtime is closing). */
  close(error: Error): void {
    for (const call of [...this.#pending.values()]) this.#settle(call, undefined, error);
    this.#unsent = [];
    for (const endpoint of this.#endpoints.values()) endpoint.close();
    this.#endpoints.clear();
    for (const timer of this.#lost.values()) clearTimeout(timer);
    this.#lost.clear();
    this.#current = undefined;
  }
}

export function portEndpoint(port: MessagePort): Endpoint {
  return {
    post: (message, transfer) => port.postMessage(message, transfer),
    listen: (handler) => {
      port.onmessage = (event) => handler(event.data as ToCaller);
    },
    close: () => port.close(),
  };
}
