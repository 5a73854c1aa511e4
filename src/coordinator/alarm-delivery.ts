/**
 * How the coordinator delivers an alarm: as one call to the object over a
 * port brokered by the coordinator's own placement, so a due alarm places an
 * object that is not live on a live host, like any request.
 *
 * Every delivery settles (the scheduler decides what a failure means):
 *  - `ok` carries the object's `AlarmOutcome`;
 *  - `err` is the object's reset (its error keeps `durableObjectReset`, and
 *    `retryAlarm: false` after `ctx.abort(…, { retryAlarm: false })`);
 *  - `retry`/`closed` (the instance was stopping) and `lost` (its host died,
 *    or it stopped) fail with `Network connection lost.`: an uncounted
 *    failure the scheduler retries soon, at the next placement. After `lost`
 *    the port is still listened to for `LOST_DRAIN_MS`: a reset's `err` is
 *    posted on it just before the host reports the stop, and the coordinator's
 *    `lost` can overtake it — failing at once would turn an aborted run
 *    (counted, or deleted after `retryAlarm: false`) into an uncounted one
 *    delivered again.
 * One port per delivery, closed once it settles: alarms are rare, and the
 * coordinator stays off the data path otherwise.
 */
import { deserializeError, networkConnectionLost } from '../errors.ts';
import { LOST_DRAIN_MS, objectKey, type AlarmOutcome, type CallPayload, type CoordinatorToHost, type ObjectAddress, type ToCaller } from '../protocol.ts';
import type { Coordinator, HostLink } from './coordinator.ts';

type AlarmPayload = Extract<CallPayload, { kind: 'alarm' }>;

interface Pending {
  key: string;
  epoch?: number;
  fail(error: Error): void;
}

export function alarmDelivery(coordinator: () => Coordinator): (address: ObjectAddress, payload: AlarmPayload) => Promise<AlarmOutcome> {
  let nextRid = 1;
  const resolving = new Map<number, { resolve(answer: { epoch: number; port: MessagePort }): void; reject(error: Error): void }>();
  const delivering = new Set<Pending>();
  const link: HostLink = {
    // Not a tab: no lock is watched for it, and it never hosts objects.
    hostId: 'alarm-clock',
    post(message: CoordinatorToHost) {
      if (message.type === 'resolved' || message.type === 'resolve-failed') {
        const waiter = resolving.get(message.rid);
        resolving.delete(message.rid);
        if (message.type === 'resolve-failed') waiter?.reject(deserializeError(message.error));
        else if (message.port) waiter?.resolve({ epoch: message.epoch, port: message.port });
        else waiter?.reject(networkConnectionLost()); // never: this link hosts nothing
        return;
      }
      if (message.type === 'lost') {
        for (const d of delivering) {
          if (d.key === message.key && d.epoch === message.epoch) setTimeout(() => d.fail(networkConnectionLost()), LOST_DRAIN_MS);
        }
      }
    },
  };

  const resolve = (address: ObjectAddress) =>
    new Promise<{ epoch: number; port: MessagePort }>((ok, fail) => {
      const rid = nextRid++;
      resolving.set(rid, { resolve: ok, reject: fail });
      coordinator().resolveInternal(link, rid, address);
    });

  return (address, payload) =>
    new Promise<AlarmOutcome>((settle, reject) => {
      let port: MessagePort | undefined;
      const pending: Pending = {
        key: objectKey(address),
        fail: (error) => finish(() => reject(error)),
      };
      const finish = (then: () => void) => {
        if (!delivering.delete(pending)) return;
        port?.close();
        then();
      };
      delivering.add(pending);
      resolve(address).then(({ epoch, port: brokered }) => {
        if (!delivering.has(pending)) return brokered.close();
        pending.epoch = epoch;
        port = brokered;
        port.onmessage = (event: MessageEvent<ToCaller>) => {
          const reply = event.data;
          if (reply.t === 'ok') finish(() => settle(reply.value as AlarmOutcome));
          else if (reply.t === 'err') finish(() => reject(deserializeError(reply.error)));
          else if (reply.t === 'retry' || reply.t === 'closed') pending.fail(networkConnectionLost());
        };
        port.postMessage({ t: 'call', cid: 1, payload });
      }, pending.fail);
    });
}
