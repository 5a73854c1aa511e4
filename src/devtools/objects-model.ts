/**
 * The Objects panel's rows: every object the coordinator's registry knows
 * (every object ever created), with what the live directory says of the
 * running ones and what host tabs reported. Fields that later capabilities
 * add to these records (an `alarm`, open `sockets`, a `jurisdiction`) are
 * carried through when present, so they show as soon as they exist.
 *
 * Pure: unit-tested in test/unit/devtools-objects-model.test.ts.
 */
import type { DirectoryEntry, ObjectAddress, RegistryEntry } from '../protocol.ts';

export interface ObjectRow {
  key: string;
  namespaceKey: string;
  className: string;
  id: string;
  name?: string;
  jurisdiction?: string;
  /** `live`, `placing`, `stopping` (from the directory), or `idle` (stored, not running). */
  state: string;
  hostId?: string;
  lastActivity?: number;
  created?: number;
  /** When present in the coordinator's records (alarms): the scheduled time, ms since the epoch. */
  alarm?: number | null;
  /** When present (WebSockets): how many are open. */
  sockets?: number;
}

function splitKey(key: string): { namespaceKey: string; id: string } {
  const at = key.lastIndexOf(':');
  return { namespaceKey: key.slice(0, at), id: key.slice(at + 1) };
}

/** Extra fields some records gain later (alarms, WebSockets); read without assuming they exist. */
function extras(record: object): Pick<ObjectRow, 'alarm' | 'sockets' | 'jurisdiction'> {
  const r = record as Record<string, unknown>;
  const out: Pick<ObjectRow, 'alarm' | 'sockets' | 'jurisdiction'> = {};
  const alarm = r.alarm ?? r.scheduledAlarm;
  if (typeof alarm === 'number' || alarm === null) out.alarm = alarm;
  const sockets = r.sockets ?? r.openSockets ?? r.webSockets;
  if (typeof sockets === 'number') out.sockets = sockets;
  else if (Array.isArray(sockets)) out.sockets = sockets.length;
  if (typeof r.jurisdiction === 'string') out.jurisdiction = r.jurisdiction;
  return out;
}

export function objectRows(
  live: readonly DirectoryEntry[],
  registry: readonly RegistryEntry[],
  lastActivity: ReadonlyMap<string, number> = new Map(),
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
      state: 'idle',
      created: r.created,
      lastActivity: r.lastPlaced,
      ...extras(r),
    });
  }
  for (const d of live) {
    const { namespaceKey, id } = splitKey(d.key);
    const row: ObjectRow = rows.get(d.key) ?? { key: d.key, namespaceKey, className: d.className, id, state: 'idle' };
    row.state = d.state;
    row.hostId = d.hostId;
    if (d.name !== undefined) row.name = d.name;
    Object.assign(row, extras(d));
    rows.set(d.key, row);
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
  return [row.className, row.name ?? '', row.id, row.state, row.namespaceKey].some((s) => s.toLowerCase().includes(f));
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
