/**
 * How the coordinator delivers an alarm: as a call to the object, like any
 * caller's. It resolves the object through the coordinator's own placement
 * (so a due alarm places an object that is not live on a live host), gets a
 * brokered port to its worker, and sends an `alarm` call over it.
 *
 * Every promise a caller's connection keeps holds here too
 * (object-connection.ts): a call the object never accepted is re-sent to its
 * next placement; one it had accepted fails with `Network connection lost.`
 * if its host dies, which the scheduler treats as an uncounted failure.
 */
import { ConnectionPool } from '../caller/connection-pool.ts';
import { deserializeError } from '../errors.ts';
import type { AlarmOutcome, CallPayload, CoordinatorToHost, ObjectAddress } from '../protocol.ts';
import { portEndpoint, type Resolution } from '../caller/object-connection.ts';
import type { Coordinator, HostLink } from './coordinator.ts';

export function alarmDelivery(
  coordinator: () => Coordinator,
): (address: ObjectAddress, payload: Extract<CallPayload, { kind: 'alarm' }>) => Promise<AlarmOutcome> {
  let nextRid = 1;
  const waiting = new Map<number, { resolve(r: Resolution): void; reject(e: Error): void }>();
  const link: HostLink = {
    hostId: 'hearth:coordinator:alarms',
    post(message: CoordinatorToHost) {
      switch (message.type) {
        case 'resolved': {
          const w = waiting.get(message.rid);
          waiting.delete(message.rid);
          if (!message.port) {
            w?.reject(new Error('Network connection lost.'));
            return;
          }
          w?.resolve({ epoch: message.epoch, endpoint: portEndpoint(message.port) });
          return;
        }
        case 'resolve-failed': {
          const w = waiting.get(message.rid);
          waiting.delete(message.rid);
          w?.reject(deserializeError(message.error));
          return;
        }
        case 'lost':
          pool.lost(message.key, message.epoch, message.error && deserializeError(message.error));
          return;
      }
    },
  };
  const pool = new ConnectionPool({
    resolve: (address, staleEpoch) =>
      new Promise<Resolution>((resolve, reject) => {
        const rid = nextRid++;
        waiting.set(rid, { resolve, reject });
        coordinator().resolveInternal(link, rid, address, staleEpoch);
      }),
  });
  return async (address, payload) => {
    const { value } = await pool.connectionFor(address).call(payload, []);
    return value as AlarmOutcome;
  };
}
