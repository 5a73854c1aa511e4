/**
 * A caller's connection to one object: sends calls over the direct endpoint the
 * coordinator brokered, and makes sure every call settles.
 *
 * The promises kept here (STYLE.md §7):
 *  - A call the object never accepted is re-sent to wherever the object lives
 *    next (after `retry`, `closed`, or the coordinator's `lost`).
 *  - A call the object had accepted fails with `Network connection lost.`
 *    (`retryable: true`) if the object is lost before answering: it may have run.
 *  - A call whose body was a transferred stream cannot be re-sent (the stream
 *    went with the first attempt); it fails as retryable instead.
 *  - Re-sending is bounded, so nothing loops forever.
 */
import { flagged, networkConnectionLost } from '../errors.ts';
import { deserializeError } from '../errors.ts';
import type { CallMessage, CallPayload, CallReply, ObjectAddress, WireResponse } from '../protocol.ts';

export interface Endpoint {
  post(message: CallMessage, transfer: Transferable[]): void;
  /** Route this endpoint's replies to `handler` (replaces any earlier handler). */
  listen(handler: (reply: CallReply) => void): void;
  close(): void;
}

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
  accepted: boolean;
  attempts: number;
  resolve(value: WireResponse): void;
  reject(error: Error): void;
}

const MAX_ATTEMPTS = 20;

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
  #nextCid = 1;

  constructor(address: ObjectAddress, resolver: Resolver) {
    this.address = address;
    this.#resolver = resolver;
  }

  call(payload: CallPayload, transfer: Transferable[]): Promise<WireResponse> {
    return new Promise((resolve, reject) => {
      const call: PendingCall = { cid: this.#nextCid++, payload, transfer, accepted: false, attempts: 0, resolve, reject };
      this.#pending.set(call.cid, call);
      this.#send(call);
    });
  }

  #send(call: PendingCall): void {
    if (call.attempts >= MAX_ATTEMPTS) {
      this.#settle(call, undefined, flagged(new Error('Durable Object could not be reached after repeated attempts.'), { retryable: true }));
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
      current.endpoint.post({ t: 'call', cid: call.cid, payload: call.payload }, call.transfer);
    } catch (error) {
      this.#settle(call, undefined, error as Error);
    }
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

  #onReply(epoch: number, reply: CallReply): void {
    if (reply.t === 'closed') {
      this.#drop(epoch);
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
          this.#staleEpoch = epoch;
        }
        this.#resend(call);
        return;
      case 'ok':
        this.#settle(call, reply.value);
        return;
      case 'err':
        this.#settle(call, undefined, deserializeError(reply.error));
        return;
    }
  }

  /**
   * The coordinator says the object at `epoch` is gone (its tab died, or it
   * stopped). `error` says why, when the host knew (e.g. the CPU limit).
   */
  lost(epoch: number, error?: Error): void {
    this.#drop(epoch, error);
  }

  /** Forget the endpoint at `epoch`; re-send what it never accepted, fail what it had. */
  #drop(epoch: number, error?: Error): void {
    if (this.#current?.epoch === epoch) this.#current = undefined;
    this.#endpoints.get(epoch)?.close();
    this.#endpoints.delete(epoch);
    for (const call of [...this.#pending.values()]) {
      if (call.epoch !== epoch) continue;
      if (call.accepted) this.#settle(call, undefined, error ?? networkConnectionLost());
      else this.#resend(call);
    }
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

  #settle(call: PendingCall, value?: WireResponse, error?: Error): void {
    if (!this.#pending.delete(call.cid)) return;
    if (error) call.reject(error);
    else call.resolve(value!);
  }

  /** Fail everything still waiting (the runtime is closing). */
  close(error: Error): void {
    for (const call of [...this.#pending.values()]) this.#settle(call, undefined, error);
    this.#unsent = [];
    for (const endpoint of this.#endpoints.values()) endpoint.close();
    this.#endpoints.clear();
    this.#current = undefined;
  }
}

export function portEndpoint(port: MessagePort): Endpoint {
  return {
    post: (message, transfer) => port.postMessage(message, transfer),
    listen: (handler) => {
      port.onmessage = (event) => handler(event.data as CallReply);
    },
    close: () => port.close(),
  };
}
