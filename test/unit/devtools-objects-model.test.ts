/** The Objects panel's rows from the coordinator's registry and directory (src/devtools/objects-model.ts). */
import { describe, expect, it } from 'vitest';
import { addressOf, matchesFilter, objectRows } from '../../src/devtools/objects-model.ts';

const id = 'a'.repeat(64);
const other = 'b'.repeat(64);

describe('object rows', () => {
  it('lists every registered object, live ones with their host, and carries alarm and socket fields when present', () => {
    const rows = objectRows(
      [{ key: `app-Room:${id}`, hostId: 'host-1', epoch: 5, state: 'live', className: 'Room', name: 'lobby', ...{ alarm: 1234, sockets: 2 } }],
      [
        { key: `app-Room:${id}`, className: 'Room', id, name: 'lobby', created: 1, lastPlaced: 2, placements: 1 },
        { key: `app-Room:${other}`, className: 'Room', id: other, created: 1, lastPlaced: 3, placements: 1 },
      ],
      new Map([[`app-Room:${other}`, 99]]),
    );
    expect(rows).toEqual([
      { key: `app-Room:${other}`, namespaceKey: 'app-Room', className: 'Room', id: other, state: 'idle', created: 1, lastActivity: 99 },
      { key: `app-Room:${id}`, namespaceKey: 'app-Room', className: 'Room', id, name: 'lobby', state: 'live', hostId: 'host-1', created: 1, lastActivity: 2, alarm: 1234, sockets: 2 },
    ]);
    expect(addressOf(rows[1]!)).toEqual({ namespaceKey: 'app-Room', className: 'Room', id, name: 'lobby' });
    expect(rows.filter((r) => matchesFilter(r, 'LOB')).map((r) => r.name)).toEqual(['lobby']);
    expect(rows.filter((r) => matchesFilter(r, 'idle'))).toHaveLength(1);
  });
});
