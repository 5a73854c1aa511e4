/**
 * Learning that the context holding the far end of a socket died.
 *
 * A `MessagePort` never says its peer is gone, so each end names a Web Lock
 * its context holds for life (`socket-context.ts`); the other end requests
 * that lock and is granted it only once the holder is gone. Nobody else ever
 * takes those locks, so waiting on them disturbs nothing. One request per
 * lock name serves every socket that watches it.
 */
const watchers = new Map<string, Set<() => void>>();

/** Call `onDead` once the holder of `lock` is gone. Returns a function that stops watching. */
export function watchHolder(lock: string, onDead: () => void): () => void {
  let set = watchers.get(lock);
  if (!set) {
    set = new Set();
    watchers.set(lock, set);
    void navigator.locks.request(lock, async () => {
      const dead = watchers.get(lock);
      watchers.delete(lock);
      for (const fn of dead ?? []) fn();
    });
  }
  set.add(onDead);
  return () => set.delete(onDead);
}
