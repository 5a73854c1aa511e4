/**
 * Every message that crosses a context boundary in Hearth, defined once and
 * imported by both ends.
 *
 * Contexts: the *host* (a page), the *coordinator* (SharedWorker), the
 * *object worker* (one dedicated worker per live Durable Object).
 *
 * Three conversations:
 *  - host ⇄ coordinator (`HostToCoordinator`, `CoordinatorToHost`): the
 *    control plane — placement, port brokering, liveness.
 *  - host ⇄ object worker (`HostToObject`, `ObjectToHost`): starting and
 *    stopping one worker, and forwarding the worker's own control requests.
 *  - caller ⇄ object worker (`CallMessage`, `CallReply`): the data plane,
 *    over a direct `MessagePort` (or the `Worker` itself for the tab that hosts
 *    the object). The coordinator never sees these.
 *
 * Imports only plain value types from modules that hold nothing else
 * (`app-source.ts`, `config-record.ts`): both ends can import this file
 * without pulling in each other's code. The wire shapes of errors and RPC
 * values are defined here; `errors.ts` and `rpc/rpc-value.ts` make and read them.
 */
import type { AppSource } from './app-source.ts';
import type { MetadataBoundary, NormalizedConfig } from './config-record.ts';

/** An error as it crosses a context boundary; `errors.ts` makes and rebuilds it. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable properties other than name/message/stack, already structured-clonable. */
  props?: Record<string, unknown>;
  /** Rebuild as a `DOMException` (its `code` follows from the name). */
  dom?: true;
  /** Something other than an error was thrown: the caller gets this value itself, as in workerd. */
  thrown?: unknown;
}

/** A value as sent over RPC (`rpc/rpc-value.ts`): `plain` values need no decoding walk. */
export interface EncodedValue {
  v: unknown;
  plain: boolean;
}

/** Everything that names one object: enough to place it and open its storage. */
export interface ObjectAddress {
  /** `${workerName}-${className}`, as miniflare names a namespace. */
  namespaceKey: string;
  className: string;
  /** 64 lowercase hex digits. */
  id: string;
  /** Set when the id came from a name (kept only up to 1,024 bytes, as Cloudflare does). */
  name?: string;
  jurisdiction?: string;
}

/** The key the coordinator's directory uses for one object. */
export function objectKey(address: Pick<ObjectAddress, 'namespaceKey' | 'id'>): string {
  return `${address.namespaceKey}:${address.id}`;
}

// ───────────────────────── host ⇄ coordinator ─────────────────────────

/**
 * Which code a host runs. Tabs of one origin can run different deployments at
 * once (one reloaded after an update, one not); the coordinator places objects
 * only on hosts of the newest one, so one object never runs two versions.
 */
export interface AppVersion {
  /** Changes whenever the app's Worker code or config changes. */
  id: string;
  /** When that code was built (ms since the epoch): the larger one is newer. */
  builtAt: number;
}

export type HostToCoordinator =
  /**
   * First message on a new connection. `objects` lets a fresh coordinator
   * rebuild its directory; `migrations` are the host's config's, in order.
   */
  | {
      type: 'hello';
      hostId: string;
      objects: { key: string; address: ObjectAddress; epoch: number }[];
      version: AppVersion;
      /** The Worker's name (`config.name`): migration tags are applied and recorded per script. */
      script: string;
      migrations: NormalizedConfig['migrations'];
      /** Which class each namespace has in this host's config (renames keep the namespace, change the class). */
      classes: NormalizedConfig['classes'];
    }
  /** Find (or place) an object and give me a way to talk to it. `staleEpoch`: the connection at that epoch refused my call. */
  | { type: 'resolve'; rid: number; address: ObjectAddress; staleEpoch?: number }
  /** Answer to `place`. */
  | { type: 'placed'; rid: number; key: string; epoch: number }
  | { type: 'place-failed'; rid: number; key: string; epoch: number; error: SerializedError }
  /**
   * The object worker for `key` at `epoch` has ended (idle eviction, LRU, reset, crash). `error`: why, for calls it had accepted.
   * `keepsSockets`: it hibernated and this host keeps its sockets, so place it here again.
   */
  | { type: 'stopped'; key: string; epoch: number; error?: SerializedError; keepsSockets?: boolean }
  /** The host is closing on purpose (runtime.close()). */
  | { type: 'goodbye'; hostId: string }
  /** For the demo and tests: the live directory and the durable registry. */
  | { type: 'inspect'; rid: number }
  /**
   * The object at `epoch` now has this alarm stored (committed): `time` in ms,
   * or null. `seq` orders the reports of one instance (see alarm.ts); the
   * coordinator answers `alarm-recorded` once its schedule holds it.
   */
  | { type: 'alarm'; address: ObjectAddress; epoch: number; seq: number; time: number | null }
  /**
   * First message of a devtools page (`src/devtools/`): a client that never
   * hosts objects. It may `inspect` and `resolve` (to reach an object through
   * its gates), nothing else; objects are never placed on it.
   */
  | { type: 'devtools'; clientId: string }
  /**
   * What the host knows of one object it runs or keeps sockets for, sent when
   * it changes: its database's size (durable in the registry) and its open
   * WebSockets (hibernatable ones kept by the host plus `accept()`-ed ones in
   * the worker). Feeds the devtools' Objects panel through `inspect`.
   */
  | { type: 'object-stats'; address: ObjectAddress; sizeBytes?: number; sockets?: number }
  /** A devtools page asks the coordinator to act (`DevtoolsCoordinatorAction`); answered with `devtools-done`. */
  | { type: 'devtools-action'; rid: number; action: DevtoolsCoordinatorAction };

/**
 * What only the coordinator can do for the devtools:
 *  - `fire-alarm`: deliver the object's scheduled alarm now, through the
 *    alarm scheduler's own delivery and retry path;
 *  - `wipe-namespace`: stop every object of the namespace, then delete their
 *    storage, alarms and registry records (as a `deleted_classes` migration does).
 */
export type DevtoolsCoordinatorAction =
  | { op: 'fire-alarm'; key: string }
  | { op: 'wipe-namespace'; namespaceKey: string };

export type CoordinatorToHost =
  /**
   * `lock`: a Web Lock the coordinator holds for its whole life. A tab queues a
   * request for it; the grant means the coordinator died (coordinator-link.ts).
   */
  | { type: 'welcome'; coordinatorId: string; lock?: string }
  /** Start a worker for this object. Reply with `placed` or `place-failed`. */
  | { type: 'place'; rid: number; address: ObjectAddress; epoch: number }
  /** Answer to `resolve`: `port` is absent when the object lives on the asking host itself. */
  | { type: 'resolved'; rid: number; key: string; epoch: number; hostId: string; port?: MessagePort }
  | { type: 'resolve-failed'; rid: number; error: SerializedError }
  /** Hand this port to the object worker for `key`; the other end went to a caller. */
  | { type: 'connect'; key: string; epoch: number; port: MessagePort }
  /**
   * Stop the worker for `key` at `epoch` now (`update`: newer code or a
   * migration replaces it). Its accepted calls fail with the reason's error;
   * the host answers with `stopped` either way.
   */
  | { type: 'stop'; key: string; epoch: number; reason: 'update' | 'wipe' }
  /** The object at `epoch` is gone: drop connections to it; calls it never accepted may be re-sent. */
  | { type: 'lost'; key: string; epoch: number; error?: SerializedError }
  | { type: 'inspected'; rid: number; coordinatorId: string; live: DirectoryEntry[]; registry: RegistryEntry[]; alarms?: AlarmEntry[] }
  /**
   * The devtools wiped this namespace: close the sockets kept for its
   * hibernated objects, as a reset would (their attachments were its data).
   */
  | { type: 'namespace-wiped'; namespaceKey: string }
  /** Answer to `devtools-action`: `error` when it could not be done. */
  | { type: 'devtools-done'; rid: number; error?: SerializedError }
  /** The schedule holds the alarm the object at `epoch` reported with `seq`. */
  | { type: 'alarm-recorded'; key: string; epoch: number; seq: number };

export interface DirectoryEntry {
  key: string;
  hostId: string;
  epoch: number;
  state: string;
  className: string;
  name?: string;
  jurisdiction?: string;
  /** The `AppVersion.id` of the hosting tab. */
  version?: string;
}

export interface RegistryEntry {
  key: string;
  className: string;
  id: string;
  name?: string;
  /** The jurisdiction the object belongs to (its storage is kept in that jurisdiction's own tree). */
  jurisdiction?: string;
  created: number;
  lastPlaced: number;
  placements: number;
  /** The database's size when last reported (`object-stats`), kept while the object sleeps. */
  sizeBytes?: number;
  /** Open WebSockets, as the hosts last reported them (live: gone with their tab). */
  sockets?: number;
}

/** One scheduled alarm, as the coordinator's schedule holds it. */
export interface AlarmEntry {
  key: string;
  className: string;
  id: string;
  name?: string;
  /** The time the object set (ms since the epoch): `alarmInfo.scheduledTime`. */
  scheduledTime: number;
  /** Failed runs so far: the next run's `alarmInfo.retryCount`. */
  retryCount: number;
  /** When the next run is due (the scheduled time, or later for a retry). */
  runAt: number;
}

// ───────────────────────── host ⇄ object worker ─────────────────────────

export interface ObjectWorkerInit {
  address: ObjectAddress;
  epoch: number;
  /** Where the app's main module (the Worker script that exports the classes) comes from. */
  app: AppSource;
  config: NormalizedConfig;
  /** The SQLite wasm, compiled once by the host page. */
  wasmModule: WebAssembly.Module;
  /** Evict after this long without events. */
  idleTimeoutMs: number;
  /** How long to wait for a stale instance to release the object's lock. */
  lockTimeoutMs: number;
  /** The hosting tab (its host lock, names.ts, tells socket peers when it died). */
  hostId: string;
  /** The hibernatable sockets the host kept while the object was not running. */
  hibernation?: HibernationSnapshot;
  /** Bench only (`setStartTimings`): report when each start-up step ended, in `ready`. */
  timing?: boolean;
}

/** One start-up step's end, on the epoch clock shared by every context (`performance.timeOrigin + now()`). */
export type StartMark = [step: string, at: number];

export type HostToObject =
  | { type: 'init'; init: ObjectWorkerInit }
  /**
   * To a spare worker, before it has an object: instantiate SQLite and evaluate
   * the app's module now, so the cold start that later takes this worker skips
   * both. Nothing object-specific (workerd, too, evaluates a Worker's modules
   * once, before any object). With `stagePool`, also make a pool ahead for a
   * brand-new object (storage/staged-pool.ts): the host says whether the
   * browser's handle budget has room for it (host/access-handle-budget.ts).
   */
  | { type: 'warm'; wasmModule: WebAssembly.Module; app: AppSource; config: NormalizedConfig; stagePool: boolean }
  /** A caller in another context: serve calls arriving on this port. */
  | { type: 'connect'; port: MessagePort }
  /**
   * `lru`, `close`: stop accepting calls, finish, close storage, then report `stopped`.
   * `update`: reset now — accepted calls fail with Cloudflare's code-update error.
   * `wipe`: reset now — the devtools wiped the object's namespace.
   */
  | { type: 'stop'; reason: 'lru' | 'close' | 'update' | 'wipe' }
  /**
   * After `stopped`: end the worker once it has answered what is already
   * queued for it. A `connect` or call the host sent before it heard
   * `stopped` is refused (`closed`, `retry`) rather than dropped with the
   * worker, so it goes to the next instance instead of failing as lost.
   */
  | { type: 'exit' }
  /** Start (`on: true`) or stop reporting `gate` records: the host relays them to `runtime.observe()` listeners. */
  | { type: 'observe'; on: boolean }
  /** Answers to the worker's own requests (see `ObjectToHost`). */
  | { type: 'resolved'; rid: number; epoch: number; port: MessagePort }
  | { type: 'resolve-failed'; rid: number; error: SerializedError }
  | { type: 'lost'; key: string; epoch: number; error?: SerializedError }
  /** Something happened on a hibernatable socket the host keeps: run the object's handler. */
  | { type: 'ws-event'; sid: string; event: SocketEvent }
  /** The host answered an auto-response on `sid` without waking the object. */
  | { type: 'ws-auto-ts'; sid: string; at: number }
  /** The coordinator's schedule holds the alarm this object reported with `seq`. */
  | { type: 'alarm-recorded'; seq: number }
  /**
   * The devtools close the `accept()`-ed socket `sid` as a lost connection: its
   * far end gets a Close frame with `code` and `reason`, the object a close
   * event with 1006, as when a client drops.
   */
  | { type: 'ws-disconnect'; sid: string; code: number; reason: string };

export type ObjectToHost =
  | { type: 'ready'; marks?: StartMark[] }
  /** Sent at most once a second while the object handles events: the host's LRU clock. */
  | { type: 'active' }
  /** Heartbeat: a worker stuck in a loop stops ticking, and the host resets it after the CPU limit. */
  | { type: 'tick' }
  | { type: 'init-failed'; error: SerializedError }
  /** The worker has closed its storage and may be terminated. */
  | { type: 'stopped'; reason: 'idle' | 'lru' | 'close' | 'evict' | 'reset' | 'update' }
  /** The object called another object: resolve it for me (a worker cannot reach the SharedWorker). */
  | { type: 'resolve'; rid: number; address: ObjectAddress; staleEpoch?: number }
  /** Keep this hibernatable socket's port, so it stays connected while the object sleeps. */
  | { type: 'ws-adopt'; sid: string; port: MessagePort; tags: string[] }
  /** A frame for the far end of a kept socket (sent only after the writes before it are durable). */
  | { type: 'ws-send'; sid: string; frame: SocketFrame }
  | { type: 'ws-attach'; sid: string; attachment: Uint8Array | null }
  /** An event that came while this worker was stopping: deliver it to the next instance. */
  | { type: 'ws-retry'; sid: string; event: SocketEvent }
  | { type: 'ws-settings'; autoResponse: [string, string] | null; eventTimeoutMs: number | null }
  /** The object's stored alarm is now `time` (committed): forward it to the coordinator's schedule. */
  | { type: 'alarm'; seq: number; time: number | null }
  /** What the gates saw (sent only while the host asked to `observe`). */
  | { type: 'gate'; event: GateEvent }
  /** The object's code wrote to `console` (object/console-capture.ts). */
  | { type: 'log'; level: LogLevel; text: string; at: number }
  /**
   * The database's size and the `accept()`-ed sockets the worker holds, after events that may change them (throttled).
   * `accepted`: those sockets one by one, for the devtools to list and close (`ws-disconnect`).
   */
  | { type: 'stats'; sizeBytes: number; sockets: number; accepted?: AcceptedSocket[] };

/** An `accept()`-ed WebSocket an object worker holds itself (not hibernatable: it lives and dies with the worker). */
export interface AcceptedSocket {
  /** Unique in its worker; not the id of a hibernatable socket. */
  sid: string;
  readyState: number;
}

export type LogLevel = 'debug' | 'log' | 'info' | 'warn' | 'error';

// ───────────────────────── gate observer records ─────────────────────────

/** Output that waits for the output gate: a reply, an outgoing fetch(), a call to another object, a call into a caller's function, a WebSocket frame. */
export type GateOutput = 'reply' | 'fetch' | 'call' | 'invoke' | 'send';

/**
 * One record of what happened to an object's events (object/gate-observer.ts).
 * `at` is wall time in ms (`performance.timeOrigin + performance.now()`), so
 * records of objects in different workers line up. `event` numbers the
 * events of one instance in arrival order.
 */
export type GateEvent = GateRecord & { at: number };

/** A `GateEvent` before it is stamped. */
export type GateRecord =
  /** A call reached the object. `label`: `rpc increment`, `fetch GET /path`. */
  | { kind: 'arrived'; event: number; label: string }
  /** It waits at the input gate (a `blockConcurrencyWhile` or an operation holding the gate is running). */
  | { kind: 'input-waiting'; event: number }
  /** The input gate let it in: its handler runs. */
  | { kind: 'delivered'; event: number }
  /** A storage call: `op` is the API (`get`, `put`, `list`, `sql.exec`, …). */
  | { kind: 'storage-read'; op: string }
  | { kind: 'storage-write'; op: string }
  /** The turn's writes are being committed (implicit transaction or outermost `transaction()`). */
  | { kind: 'commit-started' }
  | { kind: 'commit-finished'; ok: boolean; error?: string }
  /** Output waits for writes to become durable (recorded only when it really waits). */
  | { kind: 'output-held'; output: GateOutput; event?: number }
  | { kind: 'output-released'; output: GateOutput; ok: boolean; event?: number }
  /** The reply left the object (`ok: false`: an error reply). */
  | { kind: 'reply-sent'; event: number; ok: boolean }
  /** The instance stopped on purpose: idle, evicted for another (lru), by the devtools (evict), or the page closed. */
  | { kind: 'evicted'; reason: 'idle' | 'lru' | 'close' | 'evict' }
  /** The instance was reset: its accepted calls fail with `message`. */
  | { kind: 'reset'; message: string };

// ───────────────────────── WebSockets ─────────────────────────

/**
 * What travels between the two ends of one socket, over the socket's own
 * `MessagePort` (never through the coordinator or the edge).
 *  - `m`: a message (binary as an ArrayBuffer);
 *  - `c`: a Close frame (1005 when no code was given);
 *  - `h`: "my end is held by the context holding this Web Lock", so the other
 *    end learns of its death (a port has no close event).
 */
export type SocketFrame =
  | { t: 'm'; d: string | ArrayBuffer }
  | { t: 'c'; code: number; reason: string }
  | { t: 'h'; lock: string };

/** An event on a hibernatable socket, for the object's `webSocketMessage/Close/Error` handlers. */
export type SocketEvent =
  | { kind: 'message'; data: string | ArrayBuffer }
  /** `readyState`: the socket's state once the event is delivered (CLOSED when the Close was answered). */
  | { kind: 'close'; code: number; reason: string; wasClean: boolean; readyState?: number }
  | { kind: 'error'; message: string };

/** A kept socket as the woken object sees it again. */
export interface KeptSocketState {
  sid: string;
  tags: string[];
  attachment: Uint8Array | null;
  autoResponseAt: number | null;
  readyState: number;
}

export interface HibernationSnapshot {
  sockets: KeptSocketState[];
  autoResponse: [string, string] | null;
  eventTimeoutMs: number | null;
}

// ───────────────────────── caller ⇄ object (data plane) ─────────────────────────

/** A `Request` flattened for `postMessage`. Bodies up to a size travel as bytes; streams are transferred. */
export interface WireRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: ArrayBuffer | ReadableStream<Uint8Array> | null;
  cf?: unknown;
}

export interface WireResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer | ReadableStream<Uint8Array> | null;
  /** A 101's socket: the port to the other end (see websocket/cf-websocket.ts). */
  webSocket?: MessagePort;
}

export type CallPayload =
  | { kind: 'fetch'; request: WireRequest }
  /**
   * JS RPC on `target`: 0 is the object itself, other ids are functions and
   * `RpcTarget`s the object returned earlier on this connection. `args: null`
   * reads a property.
   */
  | { kind: 'rpc'; target: number; path: string[]; args: EncodedValue | null }
  /**
   * The coordinator runs the object's alarm (events/alarm.ts); the reply's
   * value is an `AlarmOutcome`. `drop`: do not run it, delete it if it is
   * still the stored one (`ctx.abort(…, { retryAlarm: false })`). `early`:
   * the devtools fire it before its time ("fire the alarm now").
   */
  | { kind: 'alarm'; scheduledTime: number; retryCount: number; drop?: boolean; early?: true }
  /** A devtools request (object/events/devtools.ts): it reaches storage only through the object's own gates. */
  | { kind: 'devtools'; request: DevtoolsRequest };

/** How one delivery of an alarm ended, for the coordinator's schedule. */
export interface AlarmOutcome {
  /** The handler ran (false: the stored alarm had changed, or was already running elsewhere). */
  ran: boolean;
  /** It threw (or was cut off at the wall-time limit). */
  error?: SerializedError;
  /** Run the same alarm again after the backoff. */
  retry: boolean;
  /** The stored alarm after this run (committed), when not retrying. */
  next: number | null;
  /** Orders this outcome among the instance's alarm reports. */
  epoch: number;
  seq: number;
}

/**
 * `alone`: when the caller sent it, this was its only call outstanding on the connection — a caller that waits for
 * each answer before its next call. The object may then commit the call's writes as soon as its answer is ready,
 * instead of at the end of the turn, where further events could have joined the commit (`output-gate.ts`).
 * Absent (older callers, calls among others): the end of the turn, as always.
 */
export type CallMessage = { t: 'call'; cid: number; payload: CallPayload; alone?: true };

/**
 * Everything an object worker delivers to the object's code, one module per
 * kind (object/events/). Today every event is a caller's call; events that
 * come from elsewhere (alarms, from the host) join this union.
 */
export type EventPayload = CallPayload;

/**
 * How long a caller still listens on an endpoint after hearing that its instance is lost, before failing the calls
 * posted there. The notice (the coordinator's `lost`, a host-lock watch) travels on another channel than the
 * object's own last answers, and can overtake them — a reset's `err` most of all, which the host reports as `stopped`
 * right after. Longer only turns some `Network connection lost.` into real answers; it never risks a double run.
 */
export const LOST_DRAIN_MS = 500;

/** Everything a caller sends on its endpoint. */
export type ToObject =
  | CallMessage
  /** Answer to the object's `invoke` of a function the caller passed it. */
  | { t: 'invoked'; iid: number; ok: true; value: EncodedValue }
  | { t: 'invoked'; iid: number; ok: false; error: SerializedError }
  /** The caller dropped its stub for an object-side export. */
  | { t: 'release'; target: number };

/** Everything an object sends to a caller: replies, and calls into functions the caller passed it. */
export type ToCaller =
  | CallReply
  | { t: 'invoke'; iid: number; target: number; path: string[]; args: EncodedValue | null };

export type CallReply =
  /**
   * The object has taken the call. Sent only by older versions (a tab with older code may still run an
   * object): an object now lets the answer acknowledge the call, and posts `closed` after every answer.
   */
  | { t: 'accepted'; cid: number }
  /** The object refused the call before running it (it is stopping): send it again elsewhere. */
  | { t: 'retry'; cid: number }
  /** `value` is a `WireResponse` for fetch, an `EncodedValue` for RPC. */
  | { t: 'ok'; cid: number; value: WireResponse | EncodedValue | AlarmOutcome }
  | { t: 'err'; cid: number; error: SerializedError }
  /** The object stopped on purpose after answering every call it accepted; later calls must go elsewhere. */
  | { t: 'closed' };

export function isToCaller(data: unknown): data is ToCaller {
  const t = (data as { t?: unknown } | null)?.t;
  return t === 'accepted' || t === 'retry' || t === 'ok' || t === 'err' || t === 'closed' || t === 'invoke';
}

export function isToObject(data: unknown): data is ToObject {
  const t = (data as { t?: unknown } | null)?.t;
  return t === 'call' || t === 'invoked' || t === 'release';
}

// ───────────────────────── devtools ─────────────────────────

/**
 * What the devtools page asks of one object, as an event through its gates
 * (object/events/devtools.ts). Writes go through the storage API, so the
 * output gate holds the answer until they are durable.
 */
export type DevtoolsRequest =
  /** KV entries (decoded) and SQL tables (schema and first rows). */
  | { op: 'storage'; rowLimit: number }
  | { op: 'kv-put'; key: string; value: unknown }
  | { op: 'kv-delete'; key: string }
  /** SQL through `ctx.storage.sql` (its authorizer applies); `write: false` runs it with `PRAGMA query_only`. */
  | { op: 'sql'; query: string; write: boolean }
  /** Stop the instance once this event is answered; the constructor runs again on the next event. */
  | { op: 'evict' }
  /** Reset the instance as `ctx.abort()` would. */
  | { op: 'abort' }
  /** Stop now as the idle timer would: with only hibernatable sockets open, the object hibernates. */
  | { op: 'hibernate' }
  /** `deleteAll()` (and the alarm), then a reset: the object starts again on empty storage. */
  | { op: 'wipe' }
  /** The database file, as `sqlite3_js_db_export` gives it. */
  | { op: 'export' }
  /** Replace the database with this `.sqlite` file (validated first); the object then restarts on it. */
  | { op: 'import'; bytes: Uint8Array }
  /**
   * Point-in-time recovery, then a reset: the object restarts with its state
   * at the last commit at or before `time` (wall-clock ms: when the chosen
   * event was delivered), or at `bookmark` (an undo).
   */
  | { op: 'restore'; time: number }
  | { op: 'restore'; bookmark: string };

export interface DevtoolsTable {
  name: string;
  /** The `CREATE TABLE` statement. */
  schema: string;
  columns: string[];
  rows: unknown[][];
  /** Rows in the table (`rows` holds at most `rowLimit`). */
  count: number;
}

export type DevtoolsAnswer =
  | { op: 'storage'; kv: { key: string; value: unknown; bytes: number }[]; kvCount: number; tables: DevtoolsTable[]; sizeBytes: number }
  | { op: 'sql'; columns: string[]; rows: unknown[][]; rowsRead: number; rowsWritten: number }
  | { op: 'export'; bytes: Uint8Array }
  /** The bookmark restored to, and the one that undoes it. */
  | { op: 'restored'; bookmark: string; undo: string }
  | { op: 'done' };

/**
 * Host tabs ⇄ devtools pages, on the BroadcastChannel `DEVTOOLS_CHANNEL`
 * (names.ts; same origin by construction). Hosts stay silent until a devtools
 * page says `devtools-here`, and fall silent again when it stops saying so.
 */
export type DevtoolsBroadcast =
  /** A devtools page is open (repeated as a heartbeat). */
  | { type: 'devtools-here'; clientId: string }
  | { type: 'host-gate'; hostId: string; key: string; event: GateEvent }
  | { type: 'host-log'; hostId: string; key: string; level: LogLevel; text: string; at: number; jurisdiction?: string }
  /**
   * A host's recent logs (bounded), sent when a devtools page appears.
   * `boundary`: the app's `hearth.metadata_boundary`, which the page's exports follow.
   */
  | { type: 'host-logs'; hostId: string; logs: { key: string; level: LogLevel; text: string; at: number; jurisdiction?: string }[]; boundary?: MetadataBoundary }
  /** The WebSockets a host holds for its objects (sent while a devtools page is open, when they change). */
  | { type: 'host-sockets'; hostId: string; sockets: DevtoolsSocket[] }
  /** A devtools page asks whichever host holds socket `sid` of object `key` to close it (`socket-closed` answers). */
  | { type: 'close-socket'; clientId: string; rid: number; key: string; sid: string }
  | { type: 'socket-closed'; clientId: string; rid: number; hostId: string }
  /**
   * The edge's (service worker's) console: the lines it kept (bounded), sent
   * when a devtools page appears, then each line as it is written while one
   * listens. The page files them under `EDGE_LOG_KEY` (names.ts).
   */
  | { type: 'edge-logs'; logs: { level: LogLevel; text: string; at: number }[] };

/**
 * One open WebSocket of an object: a hibernatable one as the host tab that
 * keeps it holds it (host/socket-keeper.ts), or, with `accepted`, one the
 * object's worker holds after `accept()` (no tags; it ends with the worker).
 */
export interface DevtoolsSocket {
  key: string;
  sid: string;
  tags: string[];
  readyState: number;
  accepted?: boolean;
}

// ───────────────────────── page ⇄ edge (service worker) ─────────────────────────

/**
 * The edge cannot reach the coordinator (a service worker cannot connect to a
 * SharedWorker), so it asks an open page of the app for a direct port to an
 * object; the page answers on the `MessagePort` sent with the request.
 */
export type EdgeToPage = { type: 'hearth:edge-resolve'; address: ObjectAddress; staleEpoch?: number };
export type EdgeResolveReply =
  /**
   * Sent at once: this page runs Hearth and is working on it (placing the
   * object can take a while). Until then the edge cannot tell a Hearth page
   * from a page of the origin that never answers.
   */
  | { type: 'accepted'; hostId: string }
  /** `hostId`: the tab that hosts that instance; the edge watches its Web Lock to learn when it dies. */
  | { type: 'resolved'; epoch: number; port: MessagePort; hostId: string }
  | { type: 'failed'; error: SerializedError };
export type EdgeUpgradeReply =
  | { type: 'open'; port: MessagePort; protocol: string; extensions: string }
  | { type: 'refused'; status: number; message: string };
/** A page forwards the coordinator's `lost` so the edge stops using a dead instance's port. */
export type PageToEdge =
  | { type: 'hearth:lost'; key: string; epoch: number; error?: SerializedError }
  /**
   * `new runtime.WebSocket(url)`: a service worker never sees a page's
   * WebSocket, so the page asks the edge to run the Worker's `fetch` for an
   * upgrade request; the answer (`EdgeUpgradeReply`) comes on the port sent along.
   */
  | { type: 'hearth:ws-connect'; url: string; protocols: string[] }
  /** An active edge does not control a page loaded with a hard reload until it claims it. */
  | { type: 'hearth:claim' }
  /** To a new edge left waiting behind the one it replaces: call `skipWaiting()` again (edge-link.ts `whenControlled`). */
  | { type: 'hearth:skip-waiting' };

// ───────────── leader-tab coordinator: the relay ─────────────

/**
 * Between tabs and the relay service worker (workers/relay.service-worker.ts)
 * of the leader-tab coordinator (host/leader-tab.ts). A service worker is the
 * one context that can pass a `MessagePort` from one tab to another,
 * unrelated tab:
 *  - `hearth:coordinator-connect`: a tab gives the relay `ports[0]` for the
 *    leader, and the relay hands the leader the same message with the port;
 *  - `hearth:leader-here`: the leader tells the relay it leads, naming the
 *    liveness lock of its coordinator (the relay trusts it while that lock is
 *    held); sent on election and whenever the relay asks
 *  - `hearth:who-leads`: the relay (restarted, or its leader gone) asks every tab.
 */
export type RelayMessage =
  | { type: 'hearth:coordinator-connect' }
  | { type: 'hearth:leader-here'; lock: string }
  | { type: 'hearth:who-leads' };
