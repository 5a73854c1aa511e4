/**
 * WebKit caps the `FileSystemSyncAccessHandle`s an origin may hold open at
 * once — about 252 (PGlite turned OPFS off in Safari because of it) — and a
 * live object holds one per file of its pool (`OBJECT_POOL_CAPACITY`), plus
 * one for a moment while the pool checks a new file. Past the cap, opening a
 * database fails deep inside SQLite. So on WebKit the number of live objects
 * a tab keeps (`hearth.maxLiveObjectsPerHost`, LRU-bounded by the object
 * host) is sized to fit: lowered from the default, and an explicit setting
 * that cannot fit is refused at `start()` with the numbers.
 *
 * The cap is per origin, the bound per tab: several tabs of one app on
 * Safari share the 252 handles (README: browser matrix).
 */
import { OBJECT_POOL_CAPACITY } from '../names.ts';
import { ConfigError, DEFAULT_MAX_LIVE_OBJECTS_PER_HOST } from '../config.ts';
import type { NormalizedConfig } from '../config-record.ts';

/** Measured by others in Safari 17/18; WebKit does not publish it. */
export const WEBKIT_ACCESS_HANDLE_CAP = 252;
/** Pool files, plus the moment a new file is checked. */
export const HANDLES_PER_OBJECT = OBJECT_POOL_CAPACITY + 1;
/** The most live objects one tab may keep on WebKit. */
export const WEBKIT_MAX_LIVE_OBJECTS = Math.floor(WEBKIT_ACCESS_HANDLE_CAP / HANDLES_PER_OBJECT);

/** WebKit, not Chromium or Gecko: Safari and every iOS browser (they all run WebKit). */
export function isWebKit(userAgent: string): boolean {
  return /AppleWebKit\//.test(userAgent) && !/Chrome\/|Chromium\/|Edg\//.test(userAgent) && !/Gecko\/\d/.test(userAgent);
}

/**
 * The config with its live-object bound fitted to the browser's handle cap:
 * the default bound is lowered; a bound the app chose that cannot fit is refused.
 */
export function fitAccessHandleBudget(config: NormalizedConfig, userAgent: string): NormalizedConfig {
  const explicit = config.maxLiveObjectsPerHost !== DEFAULT_MAX_LIVE_OBJECTS_PER_HOST;
  if (!isWebKit(userAgent) || config.maxLiveObjectsPerHost <= WEBKIT_MAX_LIVE_OBJECTS) return config;
  if (explicit) {
    throw new ConfigError(
      `hearth.maxLiveObjectsPerHost is ${config.maxLiveObjectsPerHost}, but this browser (WebKit) lets an origin hold only about ` +
        `${WEBKIT_ACCESS_HANDLE_CAP} open OPFS access handles, and each live object holds ${HANDLES_PER_OBJECT}: ` +
        `at most ${WEBKIT_MAX_LIVE_OBJECTS} live objects fit. Lower it to ${WEBKIT_MAX_LIVE_OBJECTS} or less.`,
    );
  }
  return { ...config, maxLiveObjectsPerHost: WEBKIT_MAX_LIVE_OBJECTS };
}
