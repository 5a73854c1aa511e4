/**
 * Which migrations the coordinator still has to apply to stored data.
 *
 * Migrations are applied once each, in order, and recorded by tag — as
 * Cloudflare records a script's migration tag. A config's list may only grow
 * at the end:
 *  - applied tags a prefix of the list: the rest is pending;
 *  - the list a prefix of the applied tags: an older tab that merely lacks the
 *    newest migrations — nothing to do, and not an error;
 *  - anything else (a tag changed, removed or reordered) is an error that
 *    names the first tag that differs, and no object is placed until fixed.
 */
import type { NormalizedMigration } from '../config-record.ts';

export type MigrationPlan = { pending: NormalizedMigration[] } | { error: Error };

/** `script`: the Worker's name, for the error (tags are recorded per script). */
export function planMigrations(applied: readonly string[], list: readonly NormalizedMigration[], script?: string): MigrationPlan {
  const common = Math.min(applied.length, list.length);
  for (let i = 0; i < common; i++) {
    const tag = list[i]!.tag;
    if (tag === applied[i]) continue;
    return { error: new Error(mismatchMessage(applied, list.map((m) => m.tag), i, script)) };
  }
  return { pending: list.slice(common) };
}

function mismatchMessage(applied: readonly string[], tags: string[], i: number, script?: string): string {
  const appliedTag = applied[i]!;
  const where = tags.includes(appliedTag)
    ? `is listed at migrations[${tags.indexOf(appliedTag)}] instead`
    : 'was not found in your config';
  return (
    `The Durable Object migrations${script ? ` of "${script}"` : ''} do not match the ones already applied to this origin's storage: ` +
    `migrations[${i}] has tag "${tags[i]}", but the migration applied at that position has tag "${appliedTag}", which ${where}. ` +
    `Applied migrations: [${applied.map((t) => `"${t}"`).join(', ')}]. ` +
    `Migrations that were applied cannot be changed, removed or reordered; add new ones at the end of the list.`
  );
}
