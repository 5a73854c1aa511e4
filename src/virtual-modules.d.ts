/** Modules the `hearth()` Vite plugin generates (see src/vite/plugin.ts). */
declare module 'virtual:hearth/app' {
  /** The app's main module namespace, or null when the config names no `main`. */
  const app: Record<string, unknown> | null;
  export default app;
}

declare module 'virtual:hearth/config' {
  /** The Wrangler config, checked and normalised once by the plugin: every context reads this record. */
  export const config: import('./config-record.ts').NormalizedConfig;
  export const configPath: string;
  export const version: import('./protocol.ts').AppVersion;
  /** URL of the edge service worker script. */
  export const edgeUrl: string;
  /** Scope the edge controls: Vite's `base`. */
  export const scope: string;
  /** Built files the edge caches for offline use (empty in dev). */
  export const precache: string[];
}
