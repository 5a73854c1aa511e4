import { describe, expect, it } from 'vitest';
import { ObjectConnection, type Endpoint, type Resolution } from '../../src/caller/object-connection.ts';
import type { CallMessage, CallReply, ObjectAddress, WireResponse } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-C', className: 'C', id: 'b'.repeat(64) };
const ok: WireResponse = { status: 200, statusText: '', headers: [], body: null };
const payload = { kind: 'fetch' as const, request: { method: 'GET', url: 'https://x/', headers: [], body: null } };

class FakeEndpoint implements Endpoint {
  sent: CallMessage[] = [];
  handler?: (reply: CallReply) => void;
  closed = false;
  post(message: CallMessage) {
    this.sent.push(message);
  }
  listen(handler: (reply: CallReply) => void) {
    this.handler = handler;
  }
  close() {
    this.closed = true;
  }
  reply(reply: CallReply) {
    this.handler!(reply);
  }
}

function setup() {
  const endpoints: FakeEndpoint[] = [];
  const staleEpochs: (number | undefined)[] = [];
  let epoch = 0;
  const connection = new ObjectConnection(address, {
    async resolve(_address, staleEpoch): Promise<Resolution> {
      staleEpochs.push(staleEpoch);
      const endpoint = new FakeEndpoint();
      endpoints.push(endpoint);
      return { epoch: ++epoch, endpoint };
    },
  });
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { connection, endpoints, staleEpochs, flush };
}

describe('ObjectConnection', () => {
  it('resolves once and sends every call over the same endpoint', async () => {
    const { connection, endpoints, flush } = setup();
    const a = connection.call(payload, []);
    const b = connection.call(payload, []);
    await flush();
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.sent.map((m) => m.cid)).toEqual([1, 2]);
    endpoints[0]!.reply({ t: 'ok', cid: 2, value: ok });
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok });
    await expect(Promise.all([a, b])).resolves.toEqual([{ value: ok, epoch: 1 }, { value: ok, epoch: 1 }]);
  });

  it('marks a call alone only when it is the only one outstanding: an object may commit its writes at once', async () => {
    const { connection, endpoints, flush } = setup();
    const first = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok });
    await first;
    const second = connection.call(payload, []);
    const third = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'ok', cid: 2, value: ok });
    endpoints[0]!.reply({ t: 'ok', cid: 3, value: ok });
    await Promise.all([second, third]);
    expect(endpoints[0]!.sent.map((m) => [m.cid, m.alone === true])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
  });

  it('a call posted to an instance that is lost is never re-sent, accepted or not: it fails as retryable', async () => {
    const { connection, endpoints, flush } = setup();
    const accepted = connection.call(payload, []);
    const notAccepted = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'accepted', cid: 1 });
    connection.lost(1);
    // The instance may have run the second call with its `accepted` still in flight: it may not run twice.
    await expect(accepted).rejects.toMatchObject({ message: 'Network connection lost.', retryable: true });
    await expect(notAccepted).rejects.toMatchObject({ message: 'Network connection lost.', retryable: true });
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]!.closed).toBe(true);
    // New calls go to the next instance.
    const next = connection.call(payload, []);
    await flush();
    expect(endpoints[1]!.sent.map((m) => m.cid)).toEqual([3]);
    endpoints[1]!.reply({ t: 'ok', cid: 3, value: ok });
    await expect(next).resolves.toEqual({ value: ok, epoch: 2 });
  });

  it("the lost instance's last messages, arriving after the lost notice, still settle its calls", async () => {
    const { connection, endpoints, flush } = setup();
    const answered = connection.call(payload, []);
    const refused = connection.call(payload, []);
    await flush();
    connection.lost(1);
    endpoints[0]!.reply({ t: 'accepted', cid: 1 });
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok });
    endpoints[0]!.reply({ t: 'retry', cid: 2 });
    await expect(answered).resolves.toEqual({ value: ok, epoch: 1 });
    await flush();
    expect(endpoints[1]!.sent.map((m) => m.cid)).toEqual([2]);
    endpoints[1]!.reply({ t: 'ok', cid: 2, value: ok });
    await expect(refused).resolves.toEqual({ value: ok, epoch: 2 });
  });

  it('an instance that says it closed gets its unaccepted calls re-sent, because it ran none of them', async () => {
    const { connection, endpoints, flush } = setup();
    const notAccepted = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'closed' });
    await flush();
    expect(endpoints[0]!.closed).toBe(true);
    expect(endpoints[1]!.sent.map((m) => m.cid)).toEqual([1]);
    endpoints[1]!.reply({ t: 'ok', cid: 1, value: ok });
    await expect(notAccepted).resolves.toEqual({ value: ok, epoch: 2 });
  });

  it('a lost notice for an instance with nothing in flight drops it at once', async () => {
    const { connection, endpoints, flush } = setup();
    const first = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok });
    await first;
    connection.lost(1);
    expect(endpoints[0]!.closed).toBe(true);
  });

  it('after a lost notice the next resolve names the lost instance as stale, so a coordinator that has not heard yet waits', async () => {
    const { connection, endpoints, staleEpochs, flush } = setup();
    const first = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok });
    await first;
    connection.lost(1);
    const next = connection.call(payload, []);
    await flush();
    expect(staleEpochs).toEqual([undefined, 1]);
    endpoints[1]!.reply({ t: 'ok', cid: 2, value: ok });
    await expect(next).resolves.toEqual({ value: ok, epoch: 2 });
  });

  it('a late lost notice for an older instance does not take back the stale mark of a newer one', async () => {
    const { connection, endpoints, staleEpochs, flush } = setup();
    /** One call, answered by the instance it reached (the `n`th). */
    const answered = async (n: number) => {
      const call = connection.call(payload, []);
      await flush();
      endpoints[n]!.reply({ t: 'ok', cid: n + 1, value: ok });
      await call;
    };
    await answered(0);
    connection.lost(1);
    await answered(1);
    // Instance 2 stops; then a host-lock watch reports instance 1's tab gone, late.
    endpoints[1]!.reply({ t: 'closed' });
    connection.lost(1);
    const third = connection.call(payload, []);
    await flush();
    // Naming instance 1 would let a coordinator that has not heard of 2's stop broker into it again.
    expect(staleEpochs).toEqual([undefined, 1, 2]);
    endpoints[2]!.reply({ t: 'ok', cid: 3, value: ok });
    await expect(third).resolves.toEqual({ value: ok, epoch: 3 });
  });

  it('a lost notice can carry the reason accepted calls fail with', async () => {
    const { connection, endpoints, flush } = setup();
    const call = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'accepted', cid: 1 });
    connection.lost(1, Object.assign(new Error('Durable Object exceeded its CPU time limit and was reset.'), { durableObjectReset: true }));
    await expect(call).rejects.toMatchObject({ durableObjectReset: true });
  });

  it('a refused call is re-sent after re-resolving with the stale epoch; accepted calls still get their answers', async () => {
    const { connection, endpoints, staleEpochs, flush } = setup();
    const first = connection.call(payload, []);
    const second = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'accepted', cid: 1 });
    endpoints[0]!.reply({ t: 'retry', cid: 2 });
    await flush();
    expect(staleEpochs).toEqual([undefined, 1]);
    expect(endpoints[1]!.sent.map((m) => m.cid)).toEqual([2]);
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok }); // the stopping instance finishes what it accepted
    endpoints[1]!.reply({ t: 'ok', cid: 2, value: ok });
    // Each answer says which instance gave it (RPC pins returned stubs to it).
    await expect(Promise.all([first, second])).resolves.toEqual([{ value: ok, epoch: 1 }, { value: ok, epoch: 2 }]);
  });

  it('a call whose body stream was transferred cannot be re-sent and fails as retryable', async () => {
    const { connection, flush } = setup();
    const call = connection.call(payload, [new ArrayBuffer(1)]);
    await flush();
    connection.lost(1);
    await expect(call).rejects.toMatchObject({ retryable: true });
  });

  it('an error reply is rebuilt as a real error with its flags', async () => {
    const { connection, endpoints, flush } = setup();
    const call = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'err', cid: 1, error: { name: 'RangeError', message: 'nope', props: { remote: true, code: 7 } } });
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error).toMatchObject({ message: 'nope', remote: true, code: 7 });
  });

  it('a failed resolve fails the waiting calls with its error', async () => {
    const connection = new ObjectConnection(address, {
      resolve: () => Promise.reject(new TypeError('Worker does not export a Durable Object class named "C"')),
    });
    await expect(connection.call(payload, [])).rejects.toThrow('Worker does not export');
  });
});

describe('ObjectConnection, pinned calls', () => {
  it('a call pinned to an instance goes only there, and fails as retryable once that instance is gone', async () => {
    const { connection, endpoints, flush } = setup();
    const first = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'ok', cid: 1, value: ok });
    await first;
    const pinned = connection.call(payload, [], 1);
    await flush();
    expect(endpoints[0]!.sent.map((m) => m.cid)).toEqual([1, 2]);
    connection.lost(1);
    await expect(pinned).rejects.toMatchObject({ message: 'Network connection lost.', retryable: true });
    await expect(connection.call(payload, [], 1)).rejects.toMatchObject({ retryable: true });
    expect(endpoints).toHaveLength(1); // never re-resolved for a pinned call
  });

  it('a thrown undefined still rejects (it is not mistaken for success)', async () => {
    const { connection, endpoints, flush } = setup();
    const call = connection.call(payload, []);
    await flush();
    endpoints[0]!.reply({ t: 'err', cid: 1, error: { name: 'Error', message: 'undefined', thrown: undefined } });
    await expect(call).rejects.toBeUndefined();
  });
});
