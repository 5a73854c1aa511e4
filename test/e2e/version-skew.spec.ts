/**
 * DO-API §9.2: a code update resets the object. Two tabs of one origin can run
 * two deployments at once; objects run only on the newest, and when it
 * arrives, instances on older tabs are reset and come back on the new one.
 */
import { test, expect } from './fixtures.ts';
import { openAppWith } from './open-app-with.ts';

const OLD = { id: 'build-old', builtAt: 1_000 };
const NEW = { id: 'build-new', builtAt: 2_000 };

test('a newer tab resets the object live in an older tab; accepted calls fail with the code-update error, and both tabs then reach one instance', async ({ context }) => {
  const oldTab = await openAppWith(context, { version: OLD });
  const oldHostId = await oldTab.evaluate(() => window.hearth.runtime.hostId);

  // The object starts in the old tab, and a call is held open inside it. A
  // second stub, made and used before the update, is kept for later.
  await oldTab.evaluate(async () => {
    const w = window as any;
    w.holder = window.hearth.stub('LATCH', 'skew');
    w.kept = window.hearth.stub('LATCH', 'skew');
    w.held = window.hearth.settle(w.holder.hold());
    // Calls on one connection arrive in order: once this answers, `hold` was accepted.
    w.firstCount = await w.kept.constructions();
  });
  expect(await oldTab.evaluate(() => (window as any).firstCount)).toBe(1);
  const before = await oldTab.evaluate(() => window.hearth.runtime.inspect());
  expect(before.live.filter((e) => e.name === 'skew').map((e) => e.hostId)).toEqual([oldHostId]);

  const newTab = await openAppWith(context, { version: NEW });
  const newHostId = await newTab.evaluate(() => window.hearth.runtime.hostId);

  const held = await oldTab.evaluate(() => (window as any).held);
  expect(held.ok).toBe(false);
  expect(held.error.message).toBe('Durable Object reset because its code was updated.');
  expect(held.error.durableObjectReset).toBe(true);
  expect(held.error.ctor).toBe('Error');
  // As on Cloudflare, the stub that saw the reset is broken: it keeps failing with that error.
  const broken = await oldTab.evaluate(() => window.hearth.settle((window as any).holder.constructions()));
  expect(broken.error?.message).toBe('Durable Object reset because its code was updated.');

  // The old tab's other stub keeps working and reaches the new instance, hosted by the new tab.
  expect(await oldTab.evaluate(async () => await (window as any).kept.constructions())).toBe(2);
  expect(await newTab.evaluate(async () => await (window.hearth.stub('LATCH', 'skew') as any).constructions())).toBe(2);
  const after = await newTab.evaluate(() => window.hearth.runtime.inspect());
  const live = after.live.filter((e) => e.name === 'skew');
  expect(live).toEqual([expect.objectContaining({ hostId: newHostId, state: 'live', version: NEW.id })]);
  // Nothing is held on the new instance: the call the old one accepted is not re-run.
  expect(await oldTab.evaluate(async () => await (window as any).kept.release())).toBe(false);
});

test('an older tab that asks for a new object gets it on the newest tab; when that tab leaves, the older version takes over', async ({ context }) => {
  const oldTab = await openAppWith(context, { version: OLD });
  const newTab = await openAppWith(context, { version: NEW });
  const [oldHostId, newHostId] = [
    await oldTab.evaluate(() => window.hearth.runtime.hostId),
    await newTab.evaluate(() => window.hearth.runtime.hostId),
  ];

  expect(await oldTab.evaluate(async () => await (window.hearth.stub('LATCH', 'placed-by-old') as any).constructions())).toBe(1);
  let inspection = await oldTab.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.live.find((e) => e.name === 'placed-by-old')?.hostId).toBe(newHostId);

  await newTab.close();

  // Only the older version is left: it is active again, and the object runs there with its storage.
  await expect
    .poll(() => oldTab.evaluate(() => window.hearth.settle((window.hearth.stub('LATCH', 'placed-by-old') as any).constructions())))
    .toEqual({ ok: true, value: 2 });
  inspection = await oldTab.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.live.filter((e) => e.name === 'placed-by-old').map((e) => e.hostId)).toEqual([oldHostId]);
});

test('calls streaming across the update either succeed or fail with the code-update error; none hangs, and only one new instance starts', async ({ context }) => {
  const oldTab = await openAppWith(context, { version: OLD });
  await oldTab.evaluate(() => {
    const w = window as any;
    w.outcomes = [] as { ok: boolean; value?: number; message?: string; reset?: boolean }[];
    w.stop = false;
    w.loop = (async () => {
      while (!w.stop) {
        // A fresh stub each time: one that saw a reset stays broken, as on Cloudflare.
        const r = await window.hearth.settle((window.hearth.stub('LATCH', 'stream') as any).constructions());
        w.outcomes.push(r.ok ? { ok: true, value: r.value } : { ok: false, message: r.error.message, reset: r.error.durableObjectReset });
      }
    })();
  });
  await expect.poll(() => oldTab.evaluate(() => (window as any).outcomes.length)).toBeGreaterThan(10);

  const newTab = await openAppWith(context, { version: NEW });
  const newHostId = await newTab.evaluate(() => window.hearth.runtime.hostId);
  await expect
    .poll(() => oldTab.evaluate(() => (window as any).outcomes.filter((o: { value?: number }) => o.value === 2).length))
    .toBeGreaterThan(10);
  const outcomes = await oldTab.evaluate(async () => {
    const w = window as any;
    w.stop = true;
    await w.loop;
    return w.outcomes as { ok: boolean; value?: number; message?: string; reset?: boolean }[];
  });

  for (const o of outcomes.filter((o) => !o.ok)) {
    expect(o).toEqual({ ok: false, message: 'Durable Object reset because its code was updated.', reset: true });
  }
  // Every answer came from the first instance, then from the second: never a third, never back.
  const values = outcomes.filter((o) => o.ok).map((o) => o.value);
  expect(values.indexOf(2)).toBeGreaterThan(0);
  expect(values.slice(0, values.indexOf(2)).every((v) => v === 1)).toBe(true);
  expect(values.slice(values.indexOf(2)).every((v) => v === 2)).toBe(true);
  const inspection = await newTab.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.live.filter((e) => e.name === 'stream').map((e) => e.hostId)).toEqual([newHostId]);
});

test('an instance stuck in code that never yields is still replaced on an update, and its accepted call fails with the code-update error', async ({ context }) => {
  const oldTab = await openAppWith(context, { version: OLD });
  await oldTab.evaluate(async () => {
    const w = window as any;
    w.spin = window.hearth.settle(window.hearth.stub('SPINNER', 'stuck').fetch('https://spinner.test/spin'));
  });
  // Once the directory shows the object live, the spin has been posted to its worker: the
  // coordinator answered the page's resolve before this inspect, and the page posts the call
  // as soon as it has that answer. The worker takes messages in order, so it accepts the spin
  // before it could see any stop.
  await expect
    .poll(async () => (await oldTab.evaluate(() => window.hearth.runtime.inspect())).live.filter((e) => e.name === 'stuck').map((e) => e.state))
    .toEqual(['live']);

  const newTab = await openAppWith(context, { version: NEW });
  const newHostId = await newTab.evaluate(() => window.hearth.runtime.hostId);
  const spin = await oldTab.evaluate(() => (window as any).spin);
  expect(spin.ok).toBe(false);
  expect(spin.error.message).toBe('Durable Object reset because its code was updated.');
  expect(spin.error.durableObjectReset).toBe(true);

  // The new instance runs on the new tab; the write the stuck call made never became durable.
  expect(await newTab.evaluate(() => window.hearth.json('SPINNER', 'stuck', '/'))).toEqual({ spun: false });
  const inspection = await newTab.evaluate(() => window.hearth.runtime.inspect());
  expect(inspection.live.filter((e) => e.name === 'stuck').map((e) => e.hostId)).toEqual([newHostId]);
});
