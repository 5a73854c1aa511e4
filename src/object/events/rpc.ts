/**
 * `rpc` events: JS RPC on the object (`await stub.add(2)`) or on a function
 * or `RpcTarget` it handed this caller earlier (`target` ≠ 0). Arguments and
 * results go through the caller's session (`caller-session.ts`), which keeps
 * what was passed by reference.
 */
import type { CallPayload } from '../../protocol.ts';
import { invokeOnReceiver, NOT_DURABLE_OBJECT_RPC } from '../../rpc/rpc-receiver.ts';
import { encode } from '../../rpc/rpc-value.ts';
import type { Delivered, EventKind } from './event-kind.ts';

type RpcPayload = Extract<CallPayload, { kind: 'rpc' }>;

export const rpcEvent: EventKind<RpcPayload> = {
  label: (payload) => `rpc ${payload.target === 0 ? '' : `#${payload.target}.`}${payload.path.join('.')}`,

  async deliver({ instance, supportsRpc, session: sessionOf }, payload): Promise<Delivered> {
    const session = sessionOf();
    const isRoot = payload.target === 0;
    // RPC needs `extends DurableObject` (workerd's rule); plain classes still serve fetch.
    if (isRoot && !supportsRpc()) throw new TypeError(NOT_DURABLE_OBJECT_RPC);
    const receiver = isRoot ? instance : session.exports.get(payload.target);
    if (receiver === undefined) throw new Error('RPC stub used after being disposed.');
    const args = payload.args === null ? null : session.decodeArgs(payload.args);
    const result = await invokeOnReceiver(receiver, { path: payload.path, args }, isRoot);
    const { encoded, transfer } = encode(result, session);
    return { value: encoded, transfer };
  },
};
