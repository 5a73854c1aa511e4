/**
 * Why a storage write failed, when SQLite cannot say. The `opfs-sahpool` VFS
 * turns every exception from a `FileSystemSyncAccessHandle` into
 * `SQLITE_IOERR` and only logs the original to the console, so a full disk
 * (the browser's `QuotaExceededError`) would reach the caller as an anonymous
 * internal error. This module watches the handles' writes in the object worker
 * (thrown `QuotaExceededError`s, and Chromium's error-code return, below)
 * and keeps the last quota failure, for the error paths (commit, open) to
 * turn into a `QuotaExceededError` of their own (STYLE.md §8).
 */
import { quotaExceeded } from '../errors.ts';

interface SyncHandleProto {
  write(...args: unknown[]): number;
  truncate(...args: unknown[]): void;
  flush(...args: unknown[]): void;
}

let lastQuotaFault: unknown;

/**
 * Measured in Chromium 156: a `write()` over the origin's quota does not throw
 * `QuotaExceededError` as the spec says; it returns 4294967288, which is −8
 * (`base::File::FILE_ERROR_NO_SPACE`) read as an unsigned 32-bit count. No real
 * write is that long (a wasm heap is smaller), so the value is unambiguous.
 */
const NO_SPACE = 2 ** 32 - 8;
let watching = false;

function isQuotaError(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'QuotaExceededError';
}

/** Install once per worker, before SQLite opens anything. A no-op where there are no sync access handles. */
export function watchStorageFaults(): void {
  if (watching) return;
  const proto = (globalThis as { FileSystemSyncAccessHandle?: { prototype: SyncHandleProto } }).FileSystemSyncAccessHandle?.prototype;
  if (!proto) return;
  watching = true;
  for (const name of ['write', 'truncate', 'flush'] as const) {
    const original = proto[name] as (...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown, ...args: unknown[]) {
        try {
          const result = original.apply(this, args);
          if (result === NO_SPACE) lastQuotaFault = 'write() returned FILE_ERROR_NO_SPACE';
          return result;
        } catch (error) {
          if (isQuotaError(error)) lastQuotaFault = error;
          throw error;
        }
      },
    });
  }
}

/**
 * The quota error to report for a storage failure that just happened, if the
 * browser refused a write since the last call (and forget it: one fault, one report).
 */
export function takeQuotaFault(operation: string): Error | undefined {
  if (lastQuotaFault === undefined) return undefined;
  const cause = lastQuotaFault;
  lastQuotaFault = undefined;
  return quotaExceeded(operation, cause);
}

/**
 * sqlite-wasm's `installOpfsSAHPoolVfs` first checks that the browser's sync
 * access handles are the synchronous kind by creating, opening and removing a
 * file named `.opfs-sahpool-sync-check-<random>` at the OPFS root. Creating a
 * file needs quota, so once an origin is at its quota no object could open its
 * database again — not even to read what it already committed. So when that
 * check's file cannot be created for quota, the check is given Hearth's own
 * check file instead (made while there was room; it only needs to exist), and
 * its later removal is skipped. The check itself still runs on a real handle.
 */
const SYNC_CHECK_PREFIX = '.opfs-sahpool-sync-check-';
const SPARE_SYNC_CHECK = '.hearth-sync-check';
let shimmed = false;

type DirectoryProto = {
  getFileHandle(name: string, options?: FileSystemGetFileOptions): Promise<FileSystemFileHandle>;
  removeEntry(name: string, options?: FileSystemRemoveOptions): Promise<void>;
};

export function letSyncCheckPassAtQuota(): void {
  const proto = (globalThis as { FileSystemDirectoryHandle?: { prototype: DirectoryProto } }).FileSystemDirectoryHandle?.prototype;
  if (shimmed || !proto) return;
  shimmed = true;
  const substituted = new Set<string>();
  const getFileHandle = proto.getFileHandle;
  const removeEntry = proto.removeEntry;
  Object.defineProperty(proto, 'getFileHandle', {
    configurable: true,
    writable: true,
    value: async function (this: FileSystemDirectoryHandle, name: string, options?: FileSystemGetFileOptions) {
      try {
        return await getFileHandle.call(this, name, options);
      } catch (error) {
        if (!name.startsWith(SYNC_CHECK_PREFIX) || !isQuotaError(error)) throw error;
        const spare = await getFileHandle.call(this, SPARE_SYNC_CHECK).catch(() => {
          throw error;
        });
        substituted.add(name);
        return spare;
      }
    },
  });
  Object.defineProperty(proto, 'removeEntry', {
    configurable: true,
    writable: true,
    value: function (this: FileSystemDirectoryHandle, name: string, options?: FileSystemRemoveOptions) {
      if (substituted.delete(name)) return Promise.resolve();
      return removeEntry.call(this, name, options);
    },
  });
}

/** Make Hearth's own check file while there is room (off the start-up path; see letSyncCheckPassAtQuota). */
export function keepSpareSyncCheckFile(): void {
  void navigator.storage
    .getDirectory()
    .then((root) => root.getFileHandle(SPARE_SYNC_CHECK, { create: true }))
    .catch(() => {});
}
