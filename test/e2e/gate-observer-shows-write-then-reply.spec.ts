/**
 * The gate observer (src/object/gate-observer.ts) reports what the gates did
 * with each event. One call that writes and then replies must show the
 * output gate at work: the reply is held until the write's commit finishes,
 * and only then sent. A call that writes nothing is never held.
 */
import { test, expect } from './fixtures.ts';

test('a write-then-reply call is held at the output gate until its commit finishes, then replied', async ({ app }) => {
  test.setTimeout(60_000);
  const records = await app.evaluate(async () => {
    const seen: { key: string; event: any }[] = [];
    const stop = window.hearth.runtime.observe((record) => seen.push(record));
    const calc = window.hearth.stub('CALCULATOR', 'gate-observer') as any;
    // Places the object (so the first record is of the call below, not of a constructor) and writes nothing.
    await calc.current;
    const stored = await calc.persist('k', 42); // storage.put, then storage.get, then return
    await calc.current; // reads nothing from storage, writes nothing
    // Records travel worker -> page after the reply: wait until the last call's reply-sent is here.
    const deadline = Date.now() + 10_000;
    while (seen.filter((r) => r.event.kind === 'reply-sent').length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    stop();
    return { stored, seen };
  });

  expect(records.stored).toBe(42);
  const keys = new Set(records.seen.map((r) => r.key));
  expect(keys.size).toBe(1);
  // Every record of the second call, in order, without timestamps.
  const events = records.seen.map((r) => r.event);
  const persist = events.find((e) => e.kind === 'arrived' && e.label === 'rpc persist');
  expect(persist).toBeDefined();
  const writeCall = events
    .slice(events.indexOf(persist))
    .filter((e) => e.event === undefined || e.event === persist.event)
    .slice(0, 9)
    .map(({ at, ...rest }) => {
      expect(typeof at).toBe('number');
      return rest;
    });
  expect(writeCall).toEqual([
    { kind: 'arrived', event: persist.event, label: 'rpc persist' },
    { kind: 'delivered', event: persist.event },
    { kind: 'storage-write', op: 'put' },
    { kind: 'storage-read', op: 'get' },
    { kind: 'output-held', output: 'reply', event: persist.event },
    { kind: 'commit-started' },
    { kind: 'commit-finished', ok: true },
    { kind: 'output-released', output: 'reply', ok: true, event: persist.event },
    { kind: 'reply-sent', event: persist.event, ok: true },
  ]);

  // The read-only call that follows: nothing to wait for, so nothing held.
  const readOnly = events.filter((e) => e.event === persist.event + 1).map((e) => e.kind);
  expect(readOnly).toEqual(['arrived', 'delivered', 'reply-sent']);
  // Timestamps run forward.
  const times = events.map((e) => e.at);
  expect([...times].sort((a, b) => a - b)).toEqual(times);
});
