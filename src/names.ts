/**
 * The strings two contexts must agree on, spelled once. A Web Lock name or an
 * OPFS path that one context computes differently from another would split an
 * object in two or leave its storage behind, so none of them is written
 * anywhere else.
 *
 * Pure: no globals, no imports, so every context (including the coordinator,
 * which must never load SQLite or object code) can use it.
 */

/**
 * Held by a host tab for its whole life. The coordinator and the edge request
 * it to learn that the tab died: the browser grants it when the holder goes.
 */
export function hostLockName(hostId: string): string {
  return `hearth:host:${hostId}`;
}

/**
 * Held by one object worker for its whole life: the far ends of the
 * `accept()`-ed sockets that worker holds watch it, so they learn when the
 * worker alone is terminated (the CPU limit) while its tab lives on.
 */
export function socketHolderLockName(workerId: string): string {
  return `hearth:socket-holder:${workerId}`;
}

/**
 * Held by a spare worker for its whole life once it stages a pool ahead
 * (storage/staged-pool.ts): a staging directory whose lock is free belongs to
 * a worker that ended, and may be removed.
 */
export function stagedPoolLockName(name: string): string {
  return `hearth:staged-pool:${name}`;
}

/**
 * The ground truth of an object's uniqueness: a worker touches the object's
 * storage only while it holds this lock (see object/object-lock.ts), and the
 * coordinator's namespace wipe takes it before deleting the object's files.
 */
export function objectLockName(namespaceKey: string, id: string): string {
  return `hearth:object:${namespaceKey}:${id}`;
}

/**
 * Held by one coordinator instance for its whole life and named in its
 * `welcome`: tabs request it to learn that the coordinator died (see
 * host/coordinator-link.ts). Per instance, so a new coordinator never waits
 * for a dead one's lock.
 */
export function coordinatorLockName(instanceId: string): string {
  return `hearth:coordinator:${instanceId}`;
}

/** Whether a held lock is some coordinator's liveness lock: one is alive (the devtools page looks before connecting). */
export function isCoordinatorLock(name: string | undefined): boolean {
  return name?.startsWith(coordinatorLockName('')) ?? false;
}

/**
 * The query parameter of the edge's script URL that carries `start({ hearth })`
 * overrides to the service worker (see host/runtime.ts and edge/edge.ts).
 */
export const EDGE_SETTINGS_PARAM = 'hearth';

/** The coordinator SharedWorker's name: every tab of the origin must use the same one to share one instance. */
export const COORDINATOR_NAME = 'hearth-coordinator';

/**
 * Where one object's storage lives on OPFS: one `opfs-sahpool` pool directory
 * per object, `/hearth/v1/<namespaceKey>/<id>` (DESIGN.md §2). The object
 * worker opens it; the coordinator wipes it for a deleted namespace.
 */

/** Where the objects of one jurisdiction live: a tree of their own, `/hearth/v1/@<jurisdiction>/…` ('@' never starts a namespace directory: it is escaped there). */
export function jurisdictionRoot(jurisdiction: string): string {
  return `${STORAGE_ROOT}/${JURISDICTION_PREFIX}${safeSegment(jurisdiction)}`;
}

const STORAGE_ROOT = '/hearth/v1';
/**
 * Pools made ahead by spare workers (storage/staged-pool.ts), one directory each: beside the storage root, not
 * in it, so nothing that walks the objects' directories (a namespace wipe) ever meets one.
 */
export const STAGED_POOL_ROOT = '/hearth/staging';
/** The first character of a jurisdiction tree's directory name under the storage root. */
export const JURISDICTION_PREFIX = '@';

function safeSegment(text: string): string {
  // Names come from the app's config; keep them path-safe.
  return text.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * The directory holding every object of one namespace: under the storage
 * root, or, for a jurisdiction's objects, under that jurisdiction's own tree
 * (stored apart, as a jurisdiction keeps its objects' data apart on Cloudflare).
 */
export function namespaceDirectory(namespaceKey: string, jurisdiction?: string): string {
  const root = jurisdiction === undefined ? STORAGE_ROOT : jurisdictionRoot(jurisdiction);
  return `${root}/${safeSegment(namespaceKey)}`;
}

/** One object's pool directory. */
export function poolDirectory(namespaceKey: string, id: string, jurisdiction?: string): string {
  return `${namespaceDirectory(namespaceKey, jurisdiction)}/${id}`;
}

/** The BroadcastChannel on which host tabs report gate records and logs to devtools pages (protocol.ts `DevtoolsBroadcast`). */
export const DEVTOOLS_CHANNEL = 'hearth-devtools';

/** What the edge's console lines are filed under on that channel, in place of an object's key (edge/edge-console.ts). */
export const EDGE_LOG_KEY = 'edge';

/**
 * Held, for its whole life, by the tab elected to run the coordinator where
 * there is no SharedWorker (host/leader-tab.ts); the others queue for it, so
 * the next one takes over when the leader dies.
 */
export const LEADER_LOCK = 'hearth:coordinator-leader';

/** Where the relay service worker is registered, under its script's folder: no page is ever in that scope. */
export const RELAY_SCOPE = './hearth-relay/';

/**
 * Files in one object's `opfs-sahpool` pool (storage/sqlite-open.ts): the
 * object's database and its WAL, its point-in-time-recovery history and that
 * one's WAL (temporary files stay in memory: sqlite-wasm is built with
 * SQLITE_TEMP_STORE=2; `locking_mode=EXCLUSIVE` needs no `-shm`). The pool
 * keeps a sync access handle open on each, for the object's whole life. The
 * page budgets WebKit's per-origin cap on open handles with it
 * (host/access-handle-budget.ts).
 */
export const OBJECT_POOL_CAPACITY = 4;
