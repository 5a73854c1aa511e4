/**
 * The Objects panel's rows: every object the coordinator's registry knows
 * (every object ever created, with its jurisdiction, stored size and open
 * sockets), with what the live directory says of the running ones, what the
 * alarm schedule holds, and what host tabs reported.
 *
 * Pure: unit-tested in test/unit/devtools-objects-model.test.ts.
 */
import type { AlarmEntry, DirectoryEntry, ObjectAddress, RegistryEntry } from '../protocol.ts';
import type { ObjectRecord } from '../coordinator/registry.ts';
import { shortId } from './format.ts';
import { EDGE_LOG_KEY } from '../names.ts';

/** A registry record's identity and stored facts (coordinator/registry.ts), plus what is live. */
export interface ObjectRow extends Pick<ObjectRecord, 'key' | 'namespaceKey' | 'className' | 'id' | 'name' | 'jurisdiction' | 'sizeBytes'> {
  /** `live`, `placing`, `stopping` (from the directory), or `idle` (stored, not running). */
  state: string;
  hostId?: string;
  lastActivity?: number;
  created?: ObjectRecord['created'];
  /** The scheduled alarm's time (`alarmInfo.scheduledTime`), ms since the epoch. */
  alarm?: number;
  /** Failed runs of that alarm so far. */
  alarmRetries?: number;
  /** Open WebSockets (hibernatable ones kept by a tab, and `accept()`-ed ones). */
  sockets?: number;
}

/** An object as a person reads it: `Room lobby`, or `Room 3f2a…` without a name; only the id when no row is known. */
export function labelOf(row: ObjectRow | undefined, key: string): string {
  if (key === EDGE_LOG_KEY) return 'edge';
  if (!row) return shortId(key.slice(key.lastIndexOf(':') + 1));
  return `${row.className} ${row.name ?? shortId(row.id)}`;
}

function splitKey(key: string): { namespaceKey: string; id: string } {
  const at = key.lastIndexOf(':');
  return { namespaceKey: key.slice(0, at), id: key.slice(at + 1) };
}

export function objectRows(
  live: readonly DirectoryEntry[],
  registry: readonly RegistryEntry[],
  lastActivity: ReadonlyMap<string, number> = new Map(),
  alarms: readonly AlarmEntry[] = [],
): ObjectRow[] {
  const rows = new Map<string, ObjectRow>();
  for (const r of registry) {
    const { namespaceKey } = splitKey(r.key);
    rows.set(r.key, {
      key: r.key,
      namespaceKey,
      className: r.className,
      id: r.id,
      ...(r.name !== undefined ? { name: r.name } : {}),
      ...(r.jurisdiction !== undefined ? { jurisdiction: r.jurisdiction } : {}),
      state: 'idle',
      created: r.created,
      lastActivity: r.lastPlaced,
      ...(r.sizeBytes !== undefined ? { sizeBytes: r.sizeBytes } : {}),
      ...(r.sockets ? { sockets: r.sockets } : {}),
    });
  }
  for (const d of live) {
    const { namespaceKey, id } = splitKey(d.key);
    const row: ObjectRow = rows.get(d.key) ?? { key: d.key, namespaceKey, className: d.className, id, state: 'idle' };
    row.state = d.state;
    row.hostId = d.hostId;
    if (d.name !== undefined) row.name = d.name;
    rows.set(d.key, row);
  }
  for (const a of alarms) {
    const row = rows.get(a.key);
    if (!row) continue;
    row.alarm = a.scheduledTime;
    if (a.retryCount > 0) row.alarmRetries = a.retryCount;
  }
  for (const row of rows.values()) {
    const heard = lastActivity.get(row.key);
    if (heard !== undefined && heard > (row.lastActivity ?? 0)) row.lastActivity = heard;
  }
  return [...rows.values()].sort(
    (a, b) => a.namespaceKey.localeCompare(b.namespaceKey) || (a.name ?? a.id).localeCompare(b.name ?? b.id),
  );
}

export function matchesFilter(row: ObjectRow, filter: string): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return [row.className, row.name ?? '', row.id, row.state, row.namespaceKey, row.jurisdiction ?? ''].some((s) => s.toLowerCase().includes(f));
}

export function addressOf(row: ObjectRow): ObjectAddress {
  return {
    namespaceKey: row.namespaceKey,
    className: row.className,
    id: row.id,
    ...(row.name !== undefined ? { name: row.name } : {}),
    ...(row.jurisdiction !== undefined ? { jurisdiction: row.jurisdiction } : {}),
  };
}
