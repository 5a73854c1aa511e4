/** The Objects panel's rows from the coordinator's registry, directory and alarm schedule (src/devtools/objects-model.ts). */
import { describe, expect, it } from 'vitest';
import { addressOf, matchesFilter, objectRows } from '../../src/devtools/objects-model.ts';

const id = 'a'.repeat(64);
const other = 'b'.repeat(64);

describe('object rows', () => {
  it('lists every registered object, live ones with their host, with jurisdiction, size, sockets and the scheduled alarm', () => {
    const rows = objectRows(
      [{ key: `app-Room:${id}`, hostId: 'host-1', epoch: 5, state: 'live', className: 'Room', name: 'lobby' }],
      [
        { key: `app-Room:${id}`, className: 'Room', id, name: 'lobby', jurisdiction: 'eu', created: 1, lastPlaced: 2, placements: 1, sizeBytes: 8192, sockets: 2 },
        { key: `app-Room:${other}`, className: 'Room', id: other, created: 1, lastPlaced: 3, placements: 1 },
      ],
      new Map([[`app-Room:${other}`, 99]]),
      [{ key: `app-Room:${id}`, className: 'Room', id, name: 'lobby', scheduledTime: 1234, retryCount: 1, runAt: 5000 }],
    );
    expect(rows).toEqual([
      { key: `app-Room:${other}`, namespaceKey: 'app-Room', className: 'Room', id: other, state: 'idle', created: 1, lastActivity: 99 },
      {
        key: `app-Room:${id}`, namespaceKey: 'app-Room', className: 'Room', id, name: 'lobby', jurisdiction: 'eu', state: 'live', hostId: 'host-1',
        created: 1, lastActivity: 2, sizeBytes: 8192, sockets: 2, alarm: 1234, alarmRetries: 1,
      },
    ]);
    expect(addressOf(rows[1]!)).toEqual({ namespaceKey: 'app-Room', className: 'Room', id, name: 'lobby', jurisdiction: 'eu' });
    expect(rows.filter((r) => matchesFilter(r, 'LOB')).map((r) => r.name)).toEqual(['lobby']);
    expect(rows.filter((r) => matchesFilter(r, 'eu')).map((r) => r.name)).toEqual(['lobby']);
    expect(rows.filter((r) => matchesFilter(r, 'idle'))).toHaveLength(1);
  });
});
