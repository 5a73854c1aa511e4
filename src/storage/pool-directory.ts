/**
 * Where one object's storage lives on OPFS: one `opfs-sahpool` pool directory
 * per object, `/hearth/v1/<namespaceKey>/<id>` (DESIGN.md §2). Kept apart from
 * `sqlite-open.ts` so the coordinator, which wipes deleted namespaces but
 * never opens SQLite, computes the very same paths without loading SQLite.
 */

/** The directory holding every object of one namespace. */
export function namespaceDirectory(namespaceKey: string): string {
  // Namespace keys come from the app's config; keep them path-safe.
  const safe = namespaceKey.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `/hearth/v1/${safe}`;
}

/** One object's pool directory. */
export function poolDirectory(namespaceKey: string, id: string): string {
  return `${namespaceDirectory(namespaceKey)}/${id}`;
}
