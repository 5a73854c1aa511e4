/**
 * One live Durable Object, inside its own dedicated worker.
 *
 * Start-up order (each step depends on the one before):
 *  1. take the object's exclusive Web Lock — never touch storage without it;
 *  2. instantiate SQLite from the host's compiled module, install the pool on
 *     the object's own directory, open the database;
 *  3. import the app's main module and find the class.
 * The constructor runs lazily, on the first event, as on Cloudflare; if it
 * throws, that event fails and the next event constructs again.
 *
 * A call's answer (`ok`/`err`) is its acknowledgement: no separate `accepted`
 * message is sent (it cost a third `postMessage` per call). What a caller must
 * be able to tell — did a call it sent here run? — it learns from `closed`,
 * which this instance posts only after every call it took has its answer
 * (`stop()` waits for them, a reset fails them first), so a call still
 * unanswered when `closed` arrives never ran (caller/object-connection.ts). Events are
 * delivered by kind (`events/dispatch.ts`) through the input gate
 * (`input-gate.ts`); every reply passes the output gate (`output-gate.ts`).
 * The gate observer (`gate-observer.ts`) sees all of it.
 */
import {
  type AlarmOutcome,
  type CallMessage,
  type CallPayload,
  type CallReply,
  type EncodedValue,
  type ObjectToHost,
  type ObjectWorkerInit,
  type StartMark,
  type ToObject,
  type WireResponse,
} from '../protocol.ts';
import { DURABLE_OBJECT_BRAND } from '../brands.ts';
import { CallerSession, type CallEndpoint } from './caller-session.ts';
import { stubFromAddress, type Connector } from '../caller/stub.ts';
import type { StubImporter } from '../rpc/rpc-value.ts';
import { codeUpdatedReset, flagged, serializeError, type SerializedError } from '../errors.ts';
import { DurableObjectId } from '../object-id.ts';
import { ImplicitTransaction } from '../storage/implicit-transaction.ts';
import { dropSiblingDatabase, loadSqlite, openObjectDatabase, openSiblingDatabase, siblingDatabaseExists } from '../storage/sqlite-open.ts';
import { exportDatabase, importDatabase } from '../storage/database-image.ts';
import { trusted } from '../storage/sql-connection.ts';
import type { Sqlite3, SqliteDb } from '../storage/sqlite-types.ts';
import { adoptStagedPool } from '../storage/staged-pool.ts';
import { trackBufferedRequests, trackBufferedResponses } from '../wire/http.ts';
import { dispatch, labelOf, type EventContext } from './events/dispatch.ts';
import { GateObserver } from './gate-observer.ts';
import { InputGate } from './input-gate.ts';
import { OutputGate } from './output-gate.ts';
import { acquireObjectLock, type HeldLock } from './object-lock.ts';
import { objectLockName, poolDirectory, socketHolderLockName } from '../names.ts';
import { bindGates, installGatedGlobals } from './gated-globals.ts';
import { DurableObjectState } from './state.ts';
import { DurableObjectStorage } from './storage.ts';
import { MAX_NAME_BYTES_KEPT } from '../object-id.ts';
import { loadApp, type AppModule } from './app-loader.ts';
import { PITR_FILE, PointInTimeRecovery } from '../storage/point-in-time-recovery.ts';
import { provideWorkersEnv } from '../workers-api/context.ts';
import { SocketEvents } from './events/websocket.ts';
import { WebSocketHibernation } from '../websocket/hibernation.ts';
import { installWebSocketGlobals } from '../websocket/websocket-pair.ts';
import { closeSocketsForReset, socketContext } from '../websocket/socket-context.ts';
import type { AcceptedSocket, SocketEvent } from '../protocol.ts';
import { CfWebSocket } from '../websocket/cf-websocket.ts';
import { AlarmMetadata } from '../storage/alarm-metadata.ts';
import { deliverAlarm, ObjectAlarms } from './events/alarm.ts';

/** How often at most an object reports its size and sockets to its host. */
const STATS_MS = 300;

/** What calls accepted by an instance whose namespace the devtools wiped fail with. */
const NAMESPACE_WIPE_RESET = 'Durable Object reset by Hearth DevTools: its namespace was wiped.';

/** `deleteAll()` deletes the alarm from this compatibility date (flags: `delete_all_deletes_alarm`, `delete_all_preserves_alarm`). */
const DELETE_ALL_DELETES_ALARM_FROM = '2026-02-24';

export type { CallEndpoint };

type DurableObjectClass = new (state: DurableObjectState, env: unknown) => Record<string, unknown>;

export class ObjectRuntime {
  readonly #init: ObjectWorkerInit;
  readonly #toHost: (message: ObjectToHost, transfer?: Transferable[]) => void;
  readonly #env: unknown;
  /** Held for the worker's whole life; see object-lock.ts. */
  #lock?: HeldLock;
  #db?: SqliteDb;
  #sqlite?: Sqlite3;
  #txn?: ImplicitTransaction;
  #storage?: DurableObjectStorage;
  /** This session's history (SQLite-backed objects, when it could be opened). */
  #pitr?: PointInTimeRecovery;
  #alarms?: ObjectAlarms;
  /** The endpoint delivering the running alarm (the coordinator uses one per delivery), and whether an abort said not to retry it. */
  #alarmCall: { endpoint: CallEndpoint; noRetry: boolean } | undefined;
  #state?: DurableObjectState;
  #class?: DurableObjectClass;
  #instance?: Record<string, unknown>;
  readonly #observer = new GateObserver();
  readonly #inputGate: InputGate;
  #outputGate?: OutputGate;
  #ports = new Set<MessagePort>();
  #inFlight = 0;
  /** `stop()` waiting for the accepted calls to finish (woken when `#inFlight` reaches 0). */
  #whenDrained: (() => void)[] = [];
  /** What `dispatch` needs of this object (see events/dispatch.ts). */
  readonly #events: EventContext;
  #keepAlive = 0;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  #lastActiveReport = 0;
  #closing = false;
  /** Callers with accepted calls, so a reset can fail them all. */
  #accepted = new Map<CallEndpoint, Set<number>>();
  /** Per caller endpoint: what RPC handed out to it, and calls into what it passed in. */
  #sessions = new Map<CallEndpoint, CallerSession>();

  #webSockets?: WebSocketHibernation;

  readonly #importStub: StubImporter | undefined;

  /** `connector`: this worker's connections to other objects, where Durable Object stubs passed in over RPC are made. */
  constructor(
    init: ObjectWorkerInit,
    toHost: (message: ObjectToHost, transfer?: Transferable[]) => void,
    env: unknown,
    connector?: Connector,
  ) {
    if (connector) this.#importStub = (address) => stubFromAddress(address, connector);
    this.#init = init;
    this.#toHost = toHost;
    this.#env = env;
    this.#inputGate = new InputGate((error) => this.#reset(error), this.#observer);
    this.#events = {
      inputGate: this.#inputGate,
      observer: this.#observer,
      instance: () => this.#ensureInstance(),
      supportsRpc: () => this.#supportsRpc,
      session: (endpoint) => this.#session(endpoint),
      runAlarm: (endpoint, instance, payload) => this.#runAlarm(endpoint, instance, payload),
      internals: () => ({
        db: this.#db!,
        storage: this.#storage!,
        exportDatabase: () => {
          this.#txn!.commit();
          return exportDatabase(this.#sqlite!, this.#db!);
        },
        importDatabase: (bytes) => {
          this.#txn!.commit();
          // With history, as a recorded replacement: a bookmark from before the import still restores.
          if (this.#pitr) this.#pitr.importImage(this.#txn!, bytes);
          else importDatabase(this.#sqlite!, this.#db!, bytes);
        },
        // After the current event is answered: stop() waits for accepted calls, and this is one.
        evict: () => void this.stop('evict'),
        // Next macrotask, so the devtools' own call is answered before the reset fails what is left.
        abort: (reason) =>
          void setTimeout(() => this.#reset(flagged(new Error(reason), { durableObjectReset: true })), 0),
        abortAfterReply: (reason) => {
          this.#abortAfterReply = reason;
        },
        hibernate: () => {
          // The idle timer's own conditions (#scheduleIdle), less this devtools event, which is in flight.
          if (socketContext.keepAlive.size > 0) {
            throw new Error('This object cannot hibernate now: it holds accept()-ed WebSockets, which keep it in memory (only hibernatable ones let it sleep).');
          }
          if (this.#keepAlive > 0) throw new Error('This object cannot hibernate now: waitUntil() work is still pending.');
          void this.stop('idle');
        },
      }),
    };
  }

  /**
   * The `alarm` event (events/alarm.ts), remembering which delivery runs it:
   * a reset during it tells that delivery whether `ctx.abort` allowed a retry.
   */
  async #runAlarm(endpoint: CallEndpoint, instance: Record<string, unknown>, payload: Extract<CallPayload, { kind: 'alarm' }>): Promise<AlarmOutcome> {
    const call = { endpoint, noRetry: false };
    this.#alarmCall = call;
    try {
      return await deliverAlarm(this.#alarms!, instance, payload);
    } finally {
      if (this.#alarmCall === call) this.#alarmCall = undefined;
    }
  }

  /** `marks` (bench only, `init.timing`): when each step ended; see docs/performance.md, "Profile". */
  async start(marks?: StartMark[], preloadedApp?: Promise<AppModule>): Promise<void> {
    const mark = marks ? (step: string) => void marks.push([step, performance.timeOrigin + performance.now()]) : undefined;
    const { address } = this.#init;
    this.#lock = await acquireObjectLock(objectLockName(address.namespaceKey, address.id), this.#init.lockTimeoutMs);
    mark?.('lock');
    // Opening storage waits mostly on OPFS; the app's module needs none of it. Run both at once.
    const [, mod] = await Promise.all([this.#openStorage(mark), this.#loadApp(mark, preloadedApp)]);
    const cls = mod[address.className];
    if (typeof cls !== 'function') {
      throw new TypeError(`Worker does not export a Durable Object class named "${address.className}"`);
    }
    this.#class = cls as DurableObjectClass;

    const nameKept =
      address.name !== undefined && new TextEncoder().encode(address.name).length <= MAX_NAME_BYTES_KEPT
        ? address.name
        : undefined;
    const id = new DurableObjectId(address.id, nameKept, address.jurisdiction);
    this.#state = new DurableObjectState(id, this.#storage!, {
      inputGate: this.#inputGate,
      webSockets: this.#webSockets!,
      keepAlive: (promise) => {
        this.#keepAlive++;
        promise.catch(() => {}).finally(() => {
          this.#keepAlive--;
          this.#scheduleIdle();
        });
      },
      abort: (reason, options) => {
        const error = flagged(new Error(reason ?? 'Application called abort() to reset Durable Object.'), {
          durableObjectReset: true,
        });
        if (options?.retryAlarm === false && this.#alarmCall) this.#alarmCall.noRetry = true;
        this.#reset(error);
        throw error;
      },
    });
    this.#scheduleIdle();
    // Heartbeat for the host's CPU-limit watch (see host/object-host.ts).
    setInterval(() => this.#toHost({ type: 'tick' }), 500);
  }

  /** Under the object's lock: SQLite, the pool, the database, and what sits on it (transaction, gates, storage, alarms). */
  async #openStorage(mark: ((step: string) => void) | undefined): Promise<void> {
    const { address, wasmModule } = this.#init;
    const sqlite3 = await loadSqlite(wasmModule);
    this.#sqlite = sqlite3;
    mark?.('sqlite');
    const directory = poolDirectory(address.namespaceKey, address.id, address.jurisdiction);
    if (await adoptStagedPool(directory)) mark?.('staged pool');
    this.#db = await openObjectDatabase(sqlite3, directory, this.#init.config.durability, mark);
    mark?.('open');
    this.#txn = new ImplicitTransaction(this.#db, (error) => this.#reset(error));
    this.#outputGate = new OutputGate(this.#txn, this.#observer);
    this.#observer.attachStorage(this.#txn);
    const binding = this.#init.config.bindings.find((b) => b.namespaceKey === address.namespaceKey);
    this.#storage = new DurableObjectStorage(this.#db, this.#txn, binding?.sqlite ?? true, this.#inputGate);
    this.#storage.attachSqlite(sqlite3);
    if (binding?.sqlite ?? true) {
      // History for point-in-time recovery; a restore asked for last session happens now, before the class runs.
      const { pitrWindowMs: windowMs, pitrMaxBytes: maxBytes } = this.#init.config;
      const db = this.#db;
      const drop = (h: SqliteDb) => dropSiblingDatabase(db, h, PITR_FILE);
      let history: SqliteDb | undefined;
      const open = () => (history = openSiblingDatabase(db, PITR_FILE));
      let pitr: PointInTimeRecovery | undefined;
      try {
        // A history not made yet is made when first needed (a brand-new object's, after its first replies).
        const given = siblingDatabaseExists(db, PITR_FILE) ? open() : open;
        pitr = new PointInTimeRecovery(sqlite3, db, given, this.#txn, address.id, { windowMs, maxBytes }, drop);
      } catch (error) {
        // No history this session (e.g. the origin is out of quota and a new history needs a write). One that
        // cannot record this session's commits would restore wrong states later: drop it, and start anew next time.
        if (history) drop(history);
        this.#storage.pointInTimeRecoveryUnavailable(`Point-in-time recovery history could not be opened: ${(error as Error).message}`);
      }
      if (pitr) {
        this.#pitr = pitr;
        this.#storage.attachPointInTimeRecovery(pitr);
        pitr.applyPendingRestore(this.#txn);
      }
    }
    // After a restore: the alarm reported to the coordinator is the one the restored database holds.
    this.#attachAlarms(this.#db, this.#txn, this.#storage);
    mark?.('storage');
  }

  /**
   * The app's module, with the globals it may capture in place and bound to
   * this object's gates (a spare may have evaluated it already: `preloaded`).
   * Nothing here touches storage; no object code runs before both are ready.
   */
  async #loadApp(mark: ((step: string) => void) | undefined, preloaded: Promise<AppModule> | undefined): Promise<AppModule> {
    prepareWorkerGlobals();
    // Called only by object code, which runs after start(): the output gate exists by then.
    bindGates(this.#inputGate, () => this.#outputGate!.pass('fetch'));
    // Granted before any socket can name it, so no far end ever gets it first.
    const holder = socketHolderLockName(crypto.randomUUID());
    await new Promise<void>((granted) => {
      void navigator.locks.request(holder, () => {
        granted();
        return new Promise<never>(() => {});
      });
    });
    this.#webSockets = this.#startWebSockets(holder);
    // `import { env } from 'cloudflare:workers'` works from the app's first line, as on Cloudflare
    // (a spare evaluated the app before this object's env existed: `env` is read when used, not at import).
    provideWorkersEnv(this.#env as Record<string, unknown>);
    mark?.('globals');
    const mod = await (preloaded ?? loadApp(this.#init.app));
    mark?.(preloaded ? 'app (preloaded)' : 'app');
    return mod;
  }

  /**
   * WebSockets (src/websocket/): frames are output, held by the output gate;
   * hibernatable sockets are kept by the host and their events run here as
   * events of their own (events/websocket.ts).
   */
  #startWebSockets(holder: string): WebSocketHibernation {
    const config = this.#init.config;
    // Sockets this worker holds name a lock of its own: the worker can die (CPU limit) while its tab lives.
    // (Hibernatable sockets are held by the host tab, which names its own lock: host/socket-keeper.ts.)
    socketContext.holderLock = holder;
    socketContext.compatibilityDate = config.compatibilityDate;
    socketContext.outputGate = () => this.#outputGate!.pass('send');
    socketContext.onKeepAliveEmpty = () => this.#scheduleIdle();
    // The devtools list accept()-ed sockets as they open and close, not only after events.
    socketContext.onKeepAliveChanged = () => this.#reportStats();
    socketContext.admit = () => this.#inputGate.admit();
    const events = new SocketEvents({
      run: (fn) => this.#runEvent(fn),
      eventTimeoutMs: () => this.#webSockets?.getHibernatableWebSocketEventTimeout() ?? null,
      timedOut: (error) => this.#reset(error),
    });
    return new WebSocketHibernation(this.#toHost, (ws, event) => events.deliver(ws, event), this.#init.hibernation);
  }

  /** An event on a socket the host keeps. While stopping, it goes back to the host for the next instance. */
  onSocketEvent(sid: string, event: SocketEvent): void {
    if (this.#closing) {
      this.#toHost({ type: 'ws-retry', sid, event });
      return;
    }
    this.#webSockets?.onHostEvent(sid, event);
  }

  onAutoResponse(sid: string, at: number): void {
    this.#webSockets?.onAutoResponse(sid, at);
  }

  /** The devtools close an `accept()`-ed socket this worker holds, as a dropped connection (cf-websocket.ts). */
  disconnectSocket(sid: string, code: number, reason: string): void {
    for (const socket of socketContext.keepAlive) {
      if (socket instanceof CfWebSocket && socket.hearthId === sid) socket.hearthDisconnect(code, reason);
    }
  }

  /** One event that is not a call (a WebSocket event): through the input gate, counted in flight. */
  async #runEvent(fn: (instance: Record<string, unknown>) => Promise<unknown>): Promise<void> {
    if (this.#closing) return;
    this.#inFlight++;
    clearTimeout(this.#idleTimer);
    this.#reportActive();
    try {
      await this.#inputGate.admit();
      const instance = this.#ensureInstance();
      await this.#inputGate.admit();
      await fn(instance);
    } finally {
      this.#inFlight--;
      if (this.#inFlight === 0) for (const wake of this.#whenDrained.splice(0)) wake();
      this.#scheduleIdle();
    }
  }

  /** The alarm (events/alarm.ts): in this object's database, reported to the coordinator through the host. */
  #attachAlarms(db: SqliteDb, txn: ImplicitTransaction, storage: DurableObjectStorage): void {
    const alarms = new ObjectAlarms(new AlarmMetadata(db, txn), txn, this.#init.epoch, (seq, time) =>
      this.#toHost({ type: 'alarm', seq, time }),
    );
    this.#alarms = alarms;
    alarms.onWallLimit = (error) => this.#reset(error);
    txn.holdOutput = () => alarms.holdOutput();
    const { compatibilityDate: compat, compatibilityFlags: flags = [] } = this.#init.config;
    const deleteAllDeletesAlarm =
      flags.includes('delete_all_deletes_alarm') ||
      (!flags.includes('delete_all_preserves_alarm') && (compat === undefined || compat >= DELETE_ALL_DELETES_ALARM_FROM));
    storage.attachAlarms(
      {
        get: () => alarms.get(),
        set: (time, confirmed) => alarms.set(time, confirmed),
        wiped: () => alarms.wiped(),
        // workerd: only a constructed instance without a handler is refused (the constructor may set one).
        assertCanSet: () => {
          if (this.#instance && typeof this.#instance.alarm !== 'function') {
            throw new TypeError('Your Durable Object class must have an alarm() handler in order to call setAlarm()');
          }
        },
      },
      deleteAllDeletesAlarm,
    );
    alarms.reportInitial();
  }

  /** The coordinator's schedule recorded this object's alarm report `seq`. */
  alarmRecorded(seq: number): void {
    this.#alarms?.recorded(seq);
  }

  /** Serve calls arriving on a port brokered by the coordinator. */
  servePort(port: MessagePort): void {
    port.onmessage = (event) => this.onMessage(port, event.data as ToObject);
    // Brokered while this instance was already stopping: it runs nothing sent here, and says so.
    if (this.#closing) port.postMessage({ t: 'closed' } satisfies CallReply);
    else this.#ports.add(port);
  }

  onMessage(endpoint: CallEndpoint, message: ToObject): void {
    switch (message?.t) {
      case 'call':
        return this.#onCall(endpoint, message);
      case 'invoked':
        return this.#sessions.get(endpoint)?.onInvoked(message);
      case 'release':
        return this.#sessions.get(endpoint)?.release(message.target);
    }
  }

  /**
   * Report what the gates see to the host (`gate` messages), or stop. Costs
   * nothing while off: the observer has no listener and storage no monitor.
   */
  observe(on: boolean): void {
    this.#stopObserving?.();
    this.#stopObserving = on ? this.#observer.subscribe((event) => this.#toHost({ type: 'gate', event })) : undefined;
  }
  #stopObserving: (() => void) | undefined;

  #session(endpoint: CallEndpoint): CallerSession {
    let session = this.#sessions.get(endpoint);
    if (!session) {
      session = new CallerSession(endpoint, () => this.outputGate('invoke'), this.#importStub);
      this.#sessions.set(endpoint, session);
    }
    return session;
  }


  #onCall(endpoint: CallEndpoint, message: CallMessage): void {
    const { cid, payload, alone = false } = message;
    if (this.#closing) {
      endpoint.postMessage({ t: 'retry', cid });
      return;
    }
    // Taken: from here this call gets an `ok` or `err` before this instance ever says `closed` (see the top).
    let set = this.#accepted.get(endpoint);
    if (!set) this.#accepted.set(endpoint, (set = new Set()));
    set.add(cid);
    const event = this.#observer.nextEvent();
    if (this.#observer.on) this.#observer.emit({ kind: 'arrived', event, label: labelOf(payload) });
    this.#inFlight++;
    clearTimeout(this.#idleTimer);
    this.#reportActive();
    dispatch(this.#events, endpoint, payload, event)
      .then(
        ({ value, transfer }) => this.#reply(endpoint, event, { t: 'ok', cid, value: value as WireResponse | EncodedValue }, transfer, alone),
        (error: unknown) => this.#reply(endpoint, event, { t: 'err', cid, error: this.#remoteError(error) }, [], alone),
      )
      .finally(() => {
        this.#inFlight--;
        const abort = this.#abortAfterReply;
        if (abort !== undefined) {
          // The reply asking for it is posted by now (#reply settled); calls still running fail with the reset.
          this.#abortAfterReply = undefined;
          this.#reset(flagged(new Error(abort), { durableObjectReset: true }));
          return;
        }
        if (this.#inFlight === 0) for (const wake of this.#whenDrained.splice(0)) wake();
        this.#scheduleIdle();
      });
  }
  /** A reset asked for by the event being answered (`internals.abortAfterReply`). */
  #abortAfterReply: string | undefined;

  /**
   * Resolves when `output` may leave the object (see output-gate.ts). For
   * this worker's connections to other objects (`call`) and calls into a
   * caller's functions (`invoke`).
   */
  outputGate(output: 'call' | 'invoke' = 'call'): Promise<void> {
    return this.#outputGate?.pass(output) ?? Promise.resolve();
  }

  /** RPC needs `extends DurableObject` (workerd's rule); plain classes still serve fetch. */
  get #supportsRpc(): boolean {
    return (this.#class?.prototype as Record<symbol, unknown> | undefined)?.[DURABLE_OBJECT_BRAND] === true;
  }

  #ensureInstance(): Record<string, unknown> {
    if (this.#instance) return this.#instance;
    const Class = this.#class!;
    this.#instance = new Class(this.#state!, this.#env);
    return this.#instance;
  }

  #remoteError(error: unknown): SerializedError {
    const data = serializeError(error);
    const props = data.props ?? {};
    // Errors Hearth raised for a reset keep their flags; errors thrown by user code are `remote`.
    if (!props.durableObjectReset) props.remote = true;
    data.props = props;
    return data;
  }

  /** `alone`: the caller sent the call alone, so its writes may commit now (output-gate.ts). */
  async #reply(endpoint: CallEndpoint, event: number, reply: CallReply, transfer: Transferable[] = [], alone = false): Promise<void> {
    if (reply.t === 'err' || reply.t === 'ok') {
      // Errors are output too: hold them on the gate, and never report success past a failed commit.
      try {
        await this.#outputGate?.pass('reply', event, alone);
      } catch (broken) {
        reply = { t: 'err', cid: reply.cid, error: serializeError(broken) };
        transfer = [];
      }
      const set = this.#accepted.get(endpoint);
      if (set && !set.delete(reply.cid)) return; // already failed by a reset
    }
    let ok = reply.t !== 'err';
    try {
      endpoint.postMessage(reply, transfer);
    } catch (error) {
      // A value that cannot be posted must still settle the call.
      endpoint.postMessage({ t: 'err', cid: (reply as { cid: number }).cid, error: serializeError(error) });
      ok = false;
    }
    if (this.#observer.on) this.#observer.emit({ kind: 'reply-sent', event, ok });
  }

  #statsTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Tell the host this object's database size and its `accept()`-ed sockets
   * (for the devtools' Objects panel), at most every `STATS_MS`: after a burst
   * of events, one report follows the last of them.
   */
  #reportStats(): void {
    if (this.#statsTimer !== undefined || this.#closing) return;
    this.#statsTimer = setTimeout(() => {
      this.#statsTimer = undefined;
      if (this.#closing || !this.#db) return;
      try {
        const db = this.#db;
        const sizeBytes = trusted(db, () => Number(db.selectValue('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()')));
        this.#toHost({ type: 'stats', sizeBytes, sockets: socketContext.keepAlive.size, accepted: acceptedSockets() });
      } catch {
        // A database closing under us: the next instance reports.
      }
    }, STATS_MS);
  }

  #reportActive(): void {
    const now = Date.now();
    if (now - this.#lastActiveReport < 1000) return;
    this.#lastActiveReport = now;
    this.#toHost({ type: 'active' });
  }

  #scheduleIdle(): void {
    this.#reportStats();
    clearTimeout(this.#idleTimer);
    if (this.#closing || this.#inFlight > 0 || this.#keepAlive > 0 || socketContext.keepAlive.size > 0) return;
    this.#idleTimer = setTimeout(() => {
      // Hibernation: sockets the host keeps stay connected while this worker goes (DO-API §8.2).
      if (this.#inFlight === 0 && this.#keepAlive === 0 && socketContext.keepAlive.size === 0) void this.stop('idle');
    }, this.#init.idleTimeoutMs);
  }

  /**
   * Stop gracefully: refuse new calls, let accepted ones finish, close storage.
   * `update` is no graceful stop: newer code replaces this instance, so (as on
   * Cloudflare) calls it accepted fail with the code-update reset error, and
   * calls it had not accepted go to the new instance.
   */
  async stop(reason: 'idle' | 'lru' | 'close' | 'evict' | 'update' | 'wipe'): Promise<void> {
    if (reason === 'update') {
      this.#reset(codeUpdatedReset(), 'update');
      return;
    }
    if (reason === 'wipe') {
      // The devtools wipe its namespace: a reset, as deleteAll() and ctx.abort() would leave it.
      this.#reset(flagged(new Error(NAMESPACE_WIPE_RESET), { durableObjectReset: true }));
      return;
    }
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#idleTimer);
    if (this.#observer.on) this.#observer.emit({ kind: 'evicted', reason });
    // Accepted calls finish first; the last one to settle wakes this (see #onCall).
    if (this.#inFlight > 0) await new Promise<void>((wake) => this.#whenDrained.push(wake));
    // accept()-ed sockets live in this worker: an LRU eviction or a closing tab ends them, and says so.
    closeSocketsForReset(false);
    this.#closeStorage();
    for (const session of this.#sessions.values()) session.close();
    this.#announceClosed();
    this.#toHost({ type: 'stopped', reason });
  }

  /** Reset: every accepted call fails with `error`, storage closes, the host replaces this worker. */
  #reset(error: Error, reason: 'reset' | 'update' = 'reset'): void {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#idleTimer);
    if (this.#observer.on) this.#observer.emit({ kind: 'reset', message: error.message });
    const data = serializeError(error);
    data.props = { ...data.props, durableObjectReset: true };
    const alarmCall = this.#alarmCall;
    for (const [endpoint, cids] of this.#accepted) {
      for (const cid of cids) {
        // `ctx.abort(…, { retryAlarm: false })`: the scheduler must not retry the alarm this reset cut short.
        const noRetry = alarmCall?.noRetry && alarmCall.endpoint === endpoint;
        endpoint.postMessage({ t: 'err', cid, error: noRetry ? { ...data, props: { ...data.props, retryAlarm: false } } : data });
      }
      cids.clear();
    }
    closeSocketsForReset(reason === 'update');
    this.#closeStorage(true);
    for (const session of this.#sessions.values()) session.close();
    this.#announceClosed();
    this.#toHost({ type: 'stopped', reason });
  }

  /**
   * Tell every caller — on brokered ports and the hosting page alike — that
   * this instance takes no more calls, so what they send next goes to the next
   * instance instead of into a worker about to be terminated. Every call taken
   * is answered by now (`stop()` drained them, `#reset` failed them): callers
   * re-send what is still unanswered, which this instance never ran.
   */
  #announceClosed(): void {
    const endpoints = new Set<CallEndpoint>([...this.#ports, ...this.#accepted.keys(), ...this.#sessions.keys()]);
    for (const endpoint of endpoints) endpoint.postMessage({ t: 'closed' } satisfies CallReply);
  }

  #closeStorage(rollback = false): void {
    try {
      if (!rollback) this.#txn?.commit();
      this.#storage?.close();
      this.#db?.close();
    } catch (error) {
      console.warn('[hearth] closing storage failed', error);
    }
    // The lock is not released here: the pool's access handles stay open until
    // the host terminates this worker, and termination frees both together.
  }
}

/**
 * The worker-wide globals an app's module may capture when it is evaluated:
 * `Response` (tracked), `fetch` and `crypto.subtle` (gated), `WebSocketPair`.
 * A spare calls this before importing the app; `start()` again (a no-op then).
 */
export function prepareWorkerGlobals(): void {
  trackBufferedResponses(globalThis as unknown as { Response: typeof Response });
  trackBufferedRequests(globalThis as unknown as { Request: typeof Request });
  installGatedGlobals();
  installWebSocketGlobals(globalThis as unknown as Record<string, unknown>);
}

/** The `accept()`-ed sockets this worker holds (`keepAlive` also has hibernatable ends not yet handed to the host). */
function acceptedSockets(): AcceptedSocket[] {
  const out: AcceptedSocket[] = [];
  for (const socket of socketContext.keepAlive) {
    if (socket instanceof CfWebSocket && socket.hearthMode === 'accepted') out.push({ sid: socket.hearthId, readyState: socket.readyState });
  }
  return out;
}
