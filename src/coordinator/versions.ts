/**
 * Which app version is *active*: the one objects may run on. Tabs of one
 * origin can run different deployments at once (one reloaded after an update,
 * one not); the newest one wins, as a deploy does on Cloudflare.
 *
 * "Newest" is the largest `builtAt`; equal `builtAt`s are ordered by `id`, so
 * every coordinator picks the same version from the same hosts.
 */
import type { AppVersion } from '../protocol.ts';

/** Positive when `a` is newer than `b`, 0 when they are the same version. */
export function compareVersions(a: AppVersion, b: AppVersion): number {
  if (a.builtAt !== b.builtAt) return a.builtAt - b.builtAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function sameVersion(a: AppVersion, b: AppVersion): boolean {
  return compareVersions(a, b) === 0;
}

/** The newest of `versions`, or undefined when there are none. */
export function newestVersion(versions: Iterable<AppVersion>): AppVersion | undefined {
  let newest: AppVersion | undefined;
  for (const v of versions) if (!newest || compareVersions(v, newest) > 0) newest = v;
  return newest;
}
