/**
 * Deleting every object of a namespace from OPFS (a `deleted_classes`
 * migration). Runs in the coordinator (a SharedWorker: async OPFS only).
 *
 * Each object's directory is removed while holding that object's Web Lock,
 * the same lock an object worker holds for its whole life (object-lock.ts):
 * no instance can be running on the files being removed, and none can start
 * on them until they are gone. After a tab crash the files' handles come free
 * a little after the lock (DESIGN.md §1), so a busy removal is retried briefly.
 */
import { StorageBusyError } from '../errors.ts';
import { JURISDICTION_PREFIX, namespaceDirectory, objectLockName } from '../names.ts';

interface DirectoryEntries {
  values(): AsyncIterable<FileSystemHandle>;
}

/** Wipe the namespace everywhere its objects live: the main tree and every jurisdiction's tree. */
export async function wipeNamespace(namespaceKey: string, lockTimeoutMs: number): Promise<void> {
  await wipeNamespaceIn(namespaceKey, undefined, lockTimeoutMs);
  for (const jurisdiction of await storedJurisdictions()) await wipeNamespaceIn(namespaceKey, jurisdiction, lockTimeoutMs);
}

/** The jurisdictions that have a storage tree (names.ts `jurisdictionRoot`). */
async function storedJurisdictions(): Promise<string[]> {
  const parts = namespaceDirectory('x').split('/').filter(Boolean).slice(0, -1);
  let root = await navigator.storage.getDirectory();
  try {
    for (const part of parts) root = await root.getDirectoryHandle(part);
  } catch (error) {
    if ((error as DOMException)?.name === 'NotFoundError') return [];
    throw error;
  }
  const found: string[] = [];
  for await (const handle of (root as unknown as DirectoryEntries).values()) {
    if (handle.kind === 'directory' && handle.name.startsWith(JURISDICTION_PREFIX)) {
      found.push(decodeURIComponent(handle.name.slice(JURISDICTION_PREFIX.length)));
    }
  }
  return found;
}

async function wipeNamespaceIn(namespaceKey: string, jurisdiction: string | undefined, lockTimeoutMs: number): Promise<void> {
  const parts = namespaceDirectory(namespaceKey, jurisdiction).split('/').filter(Boolean);
  const leaf = parts.pop()!;
  let parent = await navigator.storage.getDirectory();
  let directory: FileSystemDirectoryHandle;
  try {
    for (const part of parts) parent = await parent.getDirectoryHandle(part);
    directory = await parent.getDirectoryHandle(leaf);
  } catch (error) {
    if ((error as DOMException)?.name === 'NotFoundError') return; // nothing was ever stored
    throw error;
  }
  const ids: string[] = [];
  for await (const handle of (directory as unknown as DirectoryEntries).values()) {
    if (handle.kind === 'directory') ids.push(handle.name);
  }
  for (const id of ids) {
    const lock = objectLockName(namespaceKey, id);
    try {
      await navigator.locks.request(lock, { mode: 'exclusive', signal: AbortSignal.timeout(lockTimeoutMs) }, () =>
        removeWithRetry(directory, id),
      );
    } catch (error) {
      const name = (error as DOMException)?.name;
      if (name !== 'TimeoutError' && name !== 'AbortError') throw error;
      throw new StorageBusyError(
        `Durable Object storage is busy: an instance of object ${id} still holds it after ${lockTimeoutMs} ms (lock "${lock}"), so its namespace cannot be deleted.`,
      );
    }
  }
  await removeWithRetry(parent, leaf);
}

const BUSY = /NoModificationAllowedError|InvalidModificationError|InvalidStateError/;

async function removeWithRetry(parent: FileSystemDirectoryHandle, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await parent.removeEntry(name, { recursive: true });
      return;
    } catch (error) {
      const e = error as DOMException;
      if (e?.name === 'NotFoundError') return;
      if (attempt >= 12 || !BUSY.test(e?.name ?? '')) throw error;
      await new Promise((r) => setTimeout(r, 25 * (attempt + 1)));
    }
  }
}
