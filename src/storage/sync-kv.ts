/**
 * `ctx.storage.kv`: the synchronous KV API (DO-API.md §4.2; workerd
 * `api/sync-kv.c++`), over the same `_cf_KV` table as the async API, so each
 * sees the other's data.
 *
 *  - `get(key)` → the value or undefined; `put(key, value)` (any value,
 *    `undefined` included); `delete(key)` → whether the key existed.
 *  - `list(options)` takes the async `list()` options (same checks and
 *    messages) and returns a lazy iterator of `[key, value]`. Only one list
 *    iterator can be live: starting another invalidates the previous one,
 *    whose next read throws. A range that is empty by its options alone
 *    starts nothing, so it invalidates nothing (as in workerd).
 *  - SQLite-backed objects only; a KV-backed object gets Cloudflare's error
 *    from each method.
 */
import type { ImplicitTransaction } from './implicit-transaction.ts';
import { checkListOptions, compareKeys, prefixUpperBound, toKeyString, type KvListCursor, type KvStore, type ListOptions } from './kv.ts';
import { deserialize } from './structured-serializer.ts';
import { argumentError } from './webidl-arguments.ts';

const SYNC_KV = 'SyncKvStorage';

export const SYNC_KV_NOT_SQLITE =
  "The storage.kv (synchronous KV) API is only available for SQLite-backed Durable Objects, but this object's namespace is not declared to use SQLite. You can use the older, asynchronous interface via methods of `storage` itself (e.g. `storage.get()`). Alternatively, to enable SQLite, change `new_classes` to `new_sqlite_classes` within the 'migrations' field in your wrangler.jsonc or wrangler.toml file.";

export const LIST_INVALIDATED =
  'kv.list() iterator was invalidated because a new call to kv.list() was started. Only one kv.list() iterator can exist at a time.';

const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;
const ListIteratorPrototype = Object.create(IteratorPrototype, {
  [Symbol.toStringTag]: { value: 'SyncKvStorage List Iterator' },
});

/** workerd's `compileListOptions` finds the range empty before touching storage. */
export function isEmptyRange(options: ListOptions): boolean {
  let start = options.start ?? (options.startAfter !== undefined ? `${options.startAfter}\0` : '');
  let end = options.end;
  const prefix = options.prefix;
  if (prefix) {
    if (compareKeys(start, prefix) < 0) start = prefix;
    else if (!start.startsWith(prefix)) return true;
    const afterPrefix = prefixUpperBound(prefix);
    if (end !== undefined) {
      if (compareKeys(end, prefix) <= 0) return true;
      if (!end.startsWith(prefix)) end = afterPrefix;
    } else {
      end = afterPrefix;
    }
  }
  return end !== undefined && compareKeys(end, start) <= 0;
}

export class SyncKvStorage {
  readonly #kv: KvStore;
  readonly #txn: ImplicitTransaction;
  readonly #enabled: boolean;
  /** The live list iterator's cursor: the next `list()` invalidates it. */
  #live: { cursor: KvListCursor; invalidated: boolean } | undefined;

  /** @internal Created by `DurableObjectStorage`. */
  constructor(kv: KvStore, txn: ImplicitTransaction, enabled: boolean) {
    this.#kv = kv;
    this.#txn = txn;
    this.#enabled = enabled;
  }

  // Arguments convert as in workerd (`webidl-arguments.ts`): a missing key or value fails, an explicit
  // `undefined` is the key "undefined" (or, as a value, stored).

  get(key: string): unknown {
    if (arguments.length === 0) throw argumentError(SYNC_KV, 'get', 1, 'string');
    key = toKeyString(key);
    this.#usable();
    return this.#kv.getOne(key);
  }

  put(key: string, value: unknown): void {
    if (arguments.length === 0) throw argumentError(SYNC_KV, 'put', 1, 'string');
    key = toKeyString(key);
    if (arguments.length === 1) throw argumentError(SYNC_KV, 'put', 2, 'JsValue');
    this.#usable();
    const k = this.#kv.checkKey(key);
    this.#kv.putOne(k, this.#kv.encodeValue(k, value));
  }

  delete(key: string): boolean {
    if (arguments.length === 0) throw argumentError(SYNC_KV, 'delete', 1, 'string');
    key = toKeyString(key);
    this.#usable();
    return this.#kv.deleteOne(this.#kv.checkKey(key));
  }

  list(options?: unknown): IterableIterator<[string, unknown]> {
    const opts = checkListOptions(options, SYNC_KV);
    this.#usable();
    const iterator = Object.create(ListIteratorPrototype) as IterableIterator<[string, unknown]>;
    if (isEmptyRange(opts)) {
      iterator.next = () => ({ done: true, value: undefined });
      return iterator;
    }
    if (this.#live) this.#live.invalidated = true;
    const live = { cursor: this.#kv.openList(opts), invalidated: false };
    this.#live = live;
    iterator.next = () => {
      const row = live.cursor.next();
      if (row) return { done: false, value: [row[0], deserialize(row[1])] };
      if (live.invalidated) throw new Error(LIST_INVALIDATED);
      if (this.#live === live) this.#live = undefined;
      return { done: true, value: undefined };
    };
    return iterator;
  }

  #usable(): void {
    if (!this.#enabled) throw new Error(SYNC_KV_NOT_SQLITE);
    if (this.#txn.broken) throw this.#txn.broken;
  }
}
