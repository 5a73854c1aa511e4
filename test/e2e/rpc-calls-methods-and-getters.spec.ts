import { test, expect } from './fixtures.ts';

test('public methods and getters of a DurableObject class are callable on its stub', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'methods') as any;
    const first = await calc.add(2);
    const second = await calc.add(3);
    const later = await calc.addLater(10);
    const current = await calc.current;
    return { first, second, later, current, thenOnStub: typeof calc.then };
  });
  expect(result).toEqual({ first: 2, second: 5, later: 15, current: 15, thenOnStub: 'undefined' });
});

test('arguments and results keep structured-clone types, and storage writes made in RPC persist', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'values') as any;
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const echoed = await calc.echo({
      map: new Map([[1, new Date(5)]]),
      set: new Set(['a']),
      big: 2n ** 70n,
      bytes: new Uint8Array([1, 2, 3]),
      cyclic,
      undef: undefined,
      nan: NaN,
    });
    const stored = await calc.persist('k', new Map([['x', [1, 2]]]));
    return {
      mapDate: echoed.map.get(1) instanceof Date && echoed.map.get(1).getTime() === 5,
      set: [...echoed.set],
      big: echoed.big === 2n ** 70n,
      bytes: [...echoed.bytes],
      cycle: echoed.cyclic.self === echoed.cyclic,
      hasUndef: 'undef' in echoed && echoed.undef === undefined,
      nan: Number.isNaN(echoed.nan),
      stored: stored instanceof Map ? [...stored] : stored,
    };
  });
  expect(result).toEqual({
    mapDate: true,
    set: ['a'],
    big: true,
    bytes: [1, 2, 3],
    cycle: true,
    hasUndef: true,
    nan: true,
    stored: [['x', [1, 2]]],
  });
});

test('calls on one stub run in the order they were sent', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'order') as any;
    return Promise.all(Array.from({ length: 20 }, () => calc.add(1)));
  });
  expect(result).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
});
