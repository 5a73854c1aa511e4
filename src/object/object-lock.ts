/**
 * The object's exclusive Web Lock is the ground truth of uniqueness: a worker
 * touches the object's storage only while it holds
 * `objectLockName()` (names.ts), and holds it for its whole life. The
 * browser releases it when the worker (or its tab) dies, and grants waiting
 * requests in FIFO order — so a new instance can never overlap an old one, even
 * when the coordinator's directory is briefly wrong.
 */
import { StorageBusyError, StorageUnavailableError } from '../errors.ts';

export interface HeldLock {
  release(): void;
}

/** Wait up to `timeoutMs` for the lock; a stale instance that keeps it longer gets a clear error, never a second instance. */
export function acquireObjectLock(name: string, timeoutMs: number): Promise<HeldLock> {
  const locks = (globalThis as { navigator?: Navigator }).navigator?.locks;
  if (!locks) {
    return Promise.reject(new StorageUnavailableError('Durable Object storage is unavailable: this browser has no Web Locks API (navigator.locks).'));
  }
  return new Promise<HeldLock>((resolve, reject) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    locks
      .request(name, { mode: 'exclusive', signal }, () => {
        resolve({ release });
        return held;
      })
      .catch((error: unknown) => {
        if ((error as DOMException)?.name === 'TimeoutError' || (error as DOMException)?.name === 'AbortError') {
          reject(
            new StorageBusyError(
              `Durable Object storage is busy: another instance of this object still holds it after ${timeoutMs} ms (lock "${name}").`,
            ),
          );
        } else {
          reject(error);
        }
      });
  });
}
