/**
 * Storage that stays. Unless an origin asked for persistent storage and was
 * granted it, its storage is "best-effort": the browser may delete all of it
 * — every object's SQLite database in OPFS, the registry, the alarm schedule —
 * when the disk runs low, or (Safari) after seven days without a visit. For an
 * offline app that may be the only copy of the data, so `start()` asks
 * (`navigator.storage.persist()`) and reports the answer; it never waits for
 * it, because Firefox may put the question to the user first.
 */

export interface RuntimeStorage {
  /**
   * Resolves with whether the origin's storage is persistent: `true` if it
   * already was or the browser granted `persist()`, `false` if it refused (or
   * has no such API). Pending while the browser asks the user.
   */
  persisted(): Promise<boolean>;
  /** `navigator.storage.estimate()`: bytes used and the quota the browser allows this origin. */
  estimate(): Promise<{ usage: number; quota: number }>;
}

let asked: Promise<boolean> | undefined;

/** Ask once per page (however many runtimes it starts), never throwing: a refusal is an answer. */
export function requestPersistence(): RuntimeStorage {
  const storage = navigator.storage;
  asked ??= (async () => {
    if (!storage?.persist) return false;
    try {
      if (await storage.persisted?.()) return true;
      return await storage.persist();
    } catch {
      return false;
    }
  })();
  const answer = asked;
  return {
    persisted: () => answer,
    estimate: async () => {
      const { usage = 0, quota = 0 } = (await storage?.estimate?.()) ?? {};
      return { usage, quota };
    },
  };
}
