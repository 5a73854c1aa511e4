/**
 * A tab's link to the coordinator, kept alive across the coordinator's death.
 *
 * The coordinator is a SharedWorker, and in Chromium it can share a renderer
 * process with one of the tabs: when that tab crashes (not closes), the
 * coordinator dies with it, while the other tabs live on. A `MessagePort` never
 * says its peer died — messages to it just vanish — so liveness comes from a
 * Web Lock (STYLE.md §17): the coordinator holds `coordinatorLockName(id)` for
 * its whole life and names it in `welcome`; each tab queues a request for it,
 * which is granted only once the coordinator is gone.
 *
 * Then the tab re-attaches:
 *  1. it connects to a new SharedWorker (the old one is dead, so the browser
 *     starts a fresh one, or the one another tab already started);
 *  2. it says `hello` again with what it hosts — built only after placements
 *     the dead coordinator asked for have settled, so the new directory hears
 *     of every object this tab runs;
 *  3. once welcomed, every request still waiting for an answer (`resolve`,
 *     `inspect`) is sent again: each is a question, safe to ask twice, so none
 *     of them hangs. Fire-and-forget messages (`placed`, `stopped`) sent while
 *     no coordinator listens are dropped: the new hello already says what runs.
 * Uniqueness does not depend on any of this: an object's own Web Lock is the
 * ground truth, and a second placement waits for it.
 */
import type { CoordinatorToHost, HostToCoordinator } from '../protocol.ts';
import { deserializeError } from '../errors.ts';

/** A host tab's hello, or a devtools page's (a client that never hosts objects: src/devtools/coordinator-client.ts). */
type Hello = Extract<HostToCoordinator, { type: 'hello' | 'devtools' }>;
type Answer = Extract<CoordinatorToHost, { rid: number; type: 'resolved' | 'resolve-failed' | 'inspected' | 'devtools-done' }>;

export interface CoordinatorLinkOptions {
  /**
   * A port to the coordinator (a new connection each time). May take a while:
   * the devtools page first finds out where the coordinator runs.
   */
  connect(why: ConnectReason): MessagePort | Promise<MessagePort>;
  /** The hello to send, built when (re)attaching. */
  hello(): Promise<Hello>;
  /** Every message that is not an answer to `ask` (place, connect, stop, lost). */
  receive(message: CoordinatorToHost): void;
  /** Called when the coordinator was found dead, before re-attaching (for tests and logs). */
  coordinatorLost?(coordinatorId: string): void;
  /**
   * Give up on a connection that brings no `welcome` in this long, and connect
   * again. A SharedWorker always answers; a leader tab reached through the
   * relay may die between the relay's look-up and the hello (leader-tab.ts).
   */
  welcomeTimeoutMs?: number;
}

/** Why the link connects: the first time, after the coordinator died, after one never answered, or on `reconnect()`. */
export type ConnectReason = 'first' | 'lost' | 'unanswered' | 'reconnect';

interface Waiting {
  message: HostToCoordinator;
  resolve(message: CoordinatorToHost): void;
  reject(error: Error): void;
  /** Not a question: must not be asked of a second coordinator (see `AskOptions.once`). */
  once?: boolean;
  /** Sent to the coordinator now attached (a `once` request that was never sent may still go to the next one). */
  sent?: boolean;
}

export interface AskOptions {
  /**
   * An order rather than a question (the devtools' "fire the alarm now"):
   * if the coordinator it was sent to dies before answering, it fails instead
   * of going to the next coordinator, which could do it a second time.
   */
  once?: boolean;
  /** Give up (reject) after this long without an answer; the request is forgotten. */
  timeoutMs?: number;
}

export class CoordinatorLink {
  readonly #options: CoordinatorLinkOptions;
  #port: MessagePort | undefined;
  /** True from `welcome` until the coordinator is found dead: only then do messages reach anyone. */
  #attached = false;
  #closed = false;
  #nextRid = 1;
  readonly #waiting = new Map<number, Waiting>();
  /** Aborts the pending request for the current coordinator's lock (on close). */
  #watch: AbortController | undefined;
  coordinatorId = '';
  /** How many times this tab re-attached to a new coordinator. */
  reattachments = 0;

  constructor(options: CoordinatorLinkOptions) {
    this.#options = options;
  }

  /** Connect, say hello, and resolve once welcomed. */
  async attach(why: ConnectReason = 'first'): Promise<void> {
    const connecting = this.#options.connect(why);
    const port = connecting instanceof MessagePort ? connecting : await connecting;
    if (this.#closed) {
      port.close();
      return;
    }
    this.#port = port;
    const welcomed = new Promise<Extract<CoordinatorToHost, { type: 'welcome' }>>((resolve) => {
      port.onmessage = (event: MessageEvent<CoordinatorToHost>) => {
        const message = event.data;
        if (message.type === 'welcome') resolve(message);
        else this.#onMessage(message);
      };
    });
    port.start();
    port.postMessage(await this.#options.hello());
    const timeout = this.#options.welcomeTimeoutMs;
    const welcome = timeout === undefined
      ? await welcomed
      : await Promise.race([welcomed, new Promise<undefined>((r) => setTimeout(r, timeout))]);
    if (this.#closed || this.#port !== port) return;
    if (!welcome) {
      port.onmessage = null;
      port.close();
      return this.attach('unanswered');
    }
    this.coordinatorId = welcome.coordinatorId;
    this.#attached = true;
    if (welcome.lock) this.#watchCoordinator(welcome.lock, port);
    // Questions the previous coordinator took to its grave (or asked before the first welcome).
    for (const waiting of this.#waiting.values()) {
      waiting.sent = true;
      port.postMessage(waiting.message);
    }
  }

  /** Fire and forget; dropped while no coordinator is attached (see the top of this file). */
  send(message: HostToCoordinator, transfer: Transferable[] = []): void {
    if (this.#attached) this.#port!.postMessage(message, transfer);
  }

  /** A request with an answer; re-sent to the next coordinator if this one dies first. */
  ask<T extends CoordinatorToHost>(build: (rid: number) => HostToCoordinator, options: AskOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(linkClosed());
    return new Promise((resolve, reject) => {
      const rid = this.#nextRid++;
      const message = build(rid);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = () => {
        clearTimeout(timer);
        this.#waiting.delete(rid);
      };
      const waiting: Waiting = {
        message,
        resolve: (m) => {
          settle();
          resolve(m as T);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
        ...(options.once ? { once: true } : {}),
      };
      this.#waiting.set(rid, waiting);
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => waiting.reject(new Error('The coordinator did not answer in time.')), options.timeoutMs);
      }
      if (this.#attached) {
        waiting.sent = true;
        this.#port!.postMessage(message);
      }
    });
  }

  /** Whether a coordinator has welcomed this link and is not known to be dead. */
  get attached(): boolean {
    return this.#attached;
  }

  /**
   * Leave the coordinator attached now and connect again (`connect()` decides
   * where): the devtools page does so when it finds the app's tabs use
   * another coordinator than the one it reached. Waiting requests go along,
   * as after a coordinator's death.
   */
  reconnect(): void {
    if (this.#closed || !this.#port) return;
    this.#watch?.abort();
    this.#dropCoordinator(this.#port);
    // An attach still waiting for a welcome on the old port gives up on seeing this.
    this.#port = undefined;
    void this.attach('reconnect');
  }

  /** The attached coordinator is gone (or left): orders it may have taken fail, questions wait for the next one. */
  #dropCoordinator(port: MessagePort): void {
    this.#attached = false;
    port.onmessage = null;
    port.close();
    for (const waiting of [...this.#waiting.values()]) {
      if (waiting.once && waiting.sent) waiting.reject(new Error('The coordinator went away before it answered; it may or may not have done it.'));
    }
  }

  #onMessage(message: CoordinatorToHost): void {
    if (message.type === 'resolved' || message.type === 'resolve-failed' || message.type === 'inspected' || message.type === 'devtools-done') {
      const answer = message as Answer;
      const waiting = this.#waiting.get(answer.rid);
      if (!waiting) {
        // An answer to a question asked twice (before and after a re-attach): the port it carries is not needed.
        if (answer.type === 'resolved') answer.port?.close();
        return;
      }
      this.#waiting.delete(answer.rid);
      if (answer.type === 'resolve-failed') waiting.reject(deserializeError(answer.error));
      else if (answer.type === 'devtools-done' && answer.error) waiting.reject(deserializeError(answer.error));
      else waiting.resolve(answer);
      return;
    }
    this.#options.receive(message);
  }

  /** The lock is granted only when the coordinator holding it has died. */
  #watchCoordinator(lock: string, port: MessagePort): void {
    const watch = new AbortController();
    this.#watch = watch;
    navigator.locks
      .request(lock, { signal: watch.signal }, () => {
        if (this.#closed || this.#port !== port) return;
        this.#dropCoordinator(port);
        this.#options.coordinatorLost?.(this.coordinatorId);
        this.reattachments++;
        void this.attach('lost');
      })
      .catch(() => {}); // aborted on close
  }

  /** Leave: `goodbye` goes out first; everything still waiting is failed, so nothing hangs. */
  close(goodbye?: HostToCoordinator): void {
    if (this.#closed) return;
    if (goodbye) this.send(goodbye);
    this.#closed = true;
    this.#attached = false;
    this.#watch?.abort();
    for (const waiting of this.#waiting.values()) waiting.reject(linkClosed());
    this.#waiting.clear();
    this.#port?.close();
  }
}

function linkClosed(): Error {
  return new Error('Hearth runtime was closed.');
}
