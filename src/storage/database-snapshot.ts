/**
 * `DurableObjectSnapshot` (DO-API §5.7): what `ctx.storage.snapshot()` returns
 * and `ctx.storage.onNextSessionRestore()` takes — an opaque copy of one
 * object's database that can be passed over RPC to another object but not
 * stored.
 *
 * What it carries, and why: the database's bytes (an SQLite image, alarm row
 * removed), not a handle to the source. A snapshot can cross to an object in
 * another tab's worker as a plain transferable value, and restoring it never
 * needs the source to be reachable, or its history to still reach back that
 * far. "An object's storage is reachable only through that object" holds: the
 * bytes exist only because the source's own code asked for them. The cost is
 * that making one takes time proportional to the database (production's does
 * not): docs/intended-differences.md has the measurement.
 *
 *  - Opaque: the bytes sit in a module-private WeakMap, so app code holding a
 *    snapshot has nothing to read on it.
 *  - Not storable: it names itself `DurableObjectSnapshot` through
 *    `UNSERIALIZABLE`, so `put()` refuses it as workerd refuses a host object
 *    it cannot serialize.
 *  - Over RPC (rpc/rpc-value.ts) it travels as a marker with its bytes and is
 *    rebuilt on the other side with `snapshotFromWire`.
 */
import { UNSERIALIZABLE } from '../brands.ts';

/** The part of a snapshot that crosses contexts. */
export interface SnapshotWire {
  image: Uint8Array;
  /** The bookmark of the source's state the snapshot holds (for display; the bytes are the truth). */
  bookmark: string;
}

const contents = new WeakMap<object, SnapshotWire>();

export class DurableObjectSnapshot {
  /** Made only by Hearth: `ctx.storage.snapshot()`, or arriving over RPC. */
  private constructor() {}

  get [UNSERIALIZABLE](): string {
    return 'DurableObjectSnapshot';
  }

  get [Symbol.toStringTag](): string {
    return 'DurableObjectSnapshot';
  }
}

/** @internal A snapshot holding `wire`. */
export function makeSnapshot(wire: SnapshotWire): DurableObjectSnapshot {
  const snapshot = Object.create(DurableObjectSnapshot.prototype) as DurableObjectSnapshot;
  contents.set(snapshot, wire);
  return snapshot;
}

/** @internal What a snapshot holds, or undefined for any other value. */
export function snapshotContents(value: unknown): SnapshotWire | undefined {
  return typeof value === 'object' && value !== null ? contents.get(value) : undefined;
}
