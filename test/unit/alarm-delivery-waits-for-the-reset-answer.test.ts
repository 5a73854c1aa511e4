/**
 * The coordinator's alarm delivery over a real `MessageChannel` (Node's), with
 * the object's side played by the test: a reset's `err` travels on the port,
 * the coordinator's `lost` on another channel, and either may come first.
 */
import { describe, expect, it } from 'vitest';
import { alarmDelivery } from '../../src/coordinator/alarm-delivery.ts';
import type { Coordinator, HostLink } from '../../src/coordinator/coordinator.ts';
import { objectKey, type CallMessage, type ObjectAddress } from '../../src/protocol.ts';

const address: ObjectAddress = { namespaceKey: 'app-A', className: 'A', id: 'a'.repeat(64) };
const EPOCH = 7;

/** A coordinator that places the object at once: the test holds the object's end of the port. */
function setup() {
  let link: HostLink | undefined;
  let objectSide: MessagePort | undefined;
  const coordinator = {
    resolveInternal(from: HostLink, rid: number) {
      link = from;
      const channel = new MessageChannel();
      objectSide = channel.port2;
      from.post({ type: 'resolved', rid, key: objectKey(address), epoch: EPOCH, hostId: 'tab', port: channel.port1 });
    },
  } as unknown as Coordinator;
  const deliver = alarmDelivery(() => coordinator);
  const delivered = deliver(address, { kind: 'alarm', scheduledTime: 1, retryCount: 0 });
  /** Resolves with the call the object received. */
  const called = () =>
    new Promise<CallMessage>((resolve) => {
      objectSide!.onmessage = (event) => resolve(event.data as CallMessage);
    });
  return { delivered, called, object: () => objectSide!, lost: () => link!.post({ type: 'lost', key: objectKey(address), epoch: EPOCH }) };
}

describe('alarm delivery', () => {
  it("a reset's answer that arrives after the coordinator's lost notice still decides the run", async () => {
    const { delivered, called, object, lost } = setup();
    const call = await called();
    lost(); // the host's `stopped` overtook the object's own answer
    object().postMessage({
      t: 'err',
      cid: call.cid,
      error: { name: 'Error', message: 'bye', props: { durableObjectReset: true, retryAlarm: false } },
    });
    await expect(delivered).rejects.toMatchObject({ message: 'bye', durableObjectReset: true, retryAlarm: false });
  });

  it('with no answer at all, a lost instance fails the delivery as retryable once the drain is over', async () => {
    const { delivered, called, lost } = setup();
    await called();
    lost();
    await expect(delivered).rejects.toMatchObject({ message: 'Network connection lost.', retryable: true });
  });
});
