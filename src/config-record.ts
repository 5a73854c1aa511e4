/**
 * The shapes of an app's configuration: what `wrangler.jsonc` holds (the
 * input, `WranglerConfig`) and the record it is normalised into once
 * (`NormalizedConfig`, made by `normalizeConfig()` in config.ts), which every
 * context downstream trusts as it is.
 *
 * Types only, and plain data: the record crosses contexts (protocol.ts sends
 * it to object workers; the Vite plugin emits it for the page and the edge).
 */

export interface WranglerMigration {
  tag: string;
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
  transferred_classes?: { from: string; from_script: string; to: string }[];
}

/** One entry of the declarative `exports` map (the 2026 alternative to `migrations`). */
export interface WranglerExport {
  type: string;
  storage?: 'sqlite' | 'legacy-kv';
  state?: 'created' | 'renamed' | 'deleted' | 'transferred' | 'expecting-transfer';
  renamed_to?: string;
  transferred_to?: string;
  transfer_from?: string;
  container?: string;
}

export interface WranglerBinding {
  name: string;
  class_name: string;
  script_name?: string;
}

export interface WranglerConfig {
  name?: string;
  main?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
  limits?: { cpu_ms?: number };
  durable_objects?: { bindings?: WranglerBinding[] };
  migrations?: WranglerMigration[];
  exports?: Record<string, WranglerExport>;
  /** Workers Logs settings: Hearth applies them to the logs it keeps and exports (README: DevTools). */
  observability?: { enabled?: boolean; head_sampling_rate?: number; [key: string]: unknown };
  /** Hearth's own settings. */
  hearth?: {
    /**
     * Where exported logs and metrics go, as Cloudflare's Customer Metadata
     * Boundary: records of objects in a jurisdiction outside it are not exported.
     */
    metadata_boundary?: MetadataBoundary;
    idleTimeoutMs?: number;
    maxLiveObjectsPerHost?: number;
    lockTimeoutMs?: number;
    /** Where the coordinator runs: a SharedWorker (default where there is one) or a lock-elected tab. */
    coordinator?: 'shared-worker' | 'leader-tab';
    /** `"normal"` (default): SQLite `synchronous=NORMAL`; `"full"`: `synchronous=FULL` (README: Storage that stays). */
    durability?: 'normal' | 'full';
    /** Paths the edge (service worker) answers with the Worker's `fetch`, e.g. `"/api/*"`. */
    routes?: string[];
    /** How far back point-in-time recovery reaches (default 30 days, Cloudflare's window). */
    pitrWindowMs?: number;
    /** The most history one object keeps, in bytes (default 32 MiB); the oldest goes first. */
    pitrMaxBytes?: number;
  };
}

/** A binding of a kind Hearth does not provide (see unsupported-bindings.ts). */
export interface UnsupportedBinding {
  /** The `env` property. */
  name: string;
  /** What it is, in words ("KV namespace"). */
  kind: string;
  /** The Wrangler config key that declares it (`kv_namespaces`). */
  key: string;
}

/** Cloudflare's Customer Metadata Boundary regions (`global`: no boundary, both regions). */
export type MetadataBoundary = 'global' | 'eu' | 'us';

export interface NormalizedBinding {
  /** The `env` property. */
  name: string;
  className: string;
  /**
   * The namespace's unique key. `${workerName}-${className}` (as miniflare
   * derives it) for a class created here; inherited through renames; the
   * other script's `${from_script}-${from}` for a transferred class.
   */
  namespaceKey: string;
  /** SQLite-backed: `new_sqlite_classes`, a transfer, or a class no migration mentions. */
  sqlite: boolean;
}

/** One migration, in the order the config lists it, reduced to what must happen to stored data. */
export interface NormalizedMigration {
  tag: string;
  /** Namespaces whose every object's storage this migration wipes (`deleted_classes`). */
  deletedNamespaceKeys: string[];
}

/** A class that has storage after all migrations (bound or not). */
export interface NormalizedClass {
  className: string;
  /** Stable across renames and transfers: ids and storage follow the namespace, not the class name. */
  namespaceKey: string;
  sqlite: boolean;
}

export interface NormalizedConfig {
  name: string;
  /** `main` as written in the config (relative to the config file). */
  main?: string;
  /** `compatibility_date` as written (`YYYY-MM-DD`), if present. */
  compatibilityDate?: string;
  /** `compatibility_flags` as written; Hearth does not act on them yet. */
  compatibilityFlags: string[];
  /** Path patterns the edge answers (`hearth.routes`); empty: the edge intercepts nothing. */
  routes: string[];
  classes: NormalizedClass[];
  migrations: NormalizedMigration[];
  bindings: NormalizedBinding[];
  /** Bindings of kinds Hearth does not provide: in `env`, any use of them throws, naming them. */
  unsupportedBindings?: UnsupportedBinding[];
  /** The `[env.<name>]` environment the record was read for, if any. */
  environment?: string;
  vars: Record<string, unknown>;
  idleTimeoutMs: number;
  maxLiveObjectsPerHost: number;
  lockTimeoutMs: number;
  /** `hearth.coordinator`; absent: a SharedWorker where the browser has one, else a leader tab. */
  coordinator?: 'shared-worker' | 'leader-tab';
  /** `hearth.durability`: SQLite's `synchronous` for every object (`normal` unless set). */
  durability: 'normal' | 'full';
  cpuMs: number;
  /** Point-in-time recovery's history window and byte budget (`hearth.pitrWindowMs`, `hearth.pitrMaxBytes`). */
  pitrWindowMs?: number;
  pitrMaxBytes?: number;

  /** `observability` (absent: every log is kept, as `wrangler dev` shows them all). */
  observability?: { enabled: boolean; headSamplingRate: number };
  /** `hearth.metadata_boundary` (absent: `global`). */
  metadataBoundary?: MetadataBoundary;
}
