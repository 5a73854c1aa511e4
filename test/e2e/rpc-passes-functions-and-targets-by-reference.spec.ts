import { test, expect } from './fixtures.ts';

test('an RpcTarget returned by a method is a stub whose methods run in the object', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'targets') as any;
    const pipelined = await calc.counter().inc(3);
    const counter = await calc.counter();
    const a = await counter.inc(2);
    const b = await counter.inc(5);
    const value = await counter.value;
    return { pipelined, a, b, value };
  });
  expect(result).toEqual({ pipelined: 3, a: 2, b: 7, value: 7 });
});

test('functions inside returned plain objects are callable, also through a pipelined path', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'nested') as any;
    const direct = await calc.nested().inner.double(21);
    const label = await calc.nested().label;
    const obj = await calc.nested();
    return { direct, label, viaValue: await obj.inner.double(4) };
  });
  expect(result).toEqual({ direct: 42, label: 'plain', viaValue: 8 });
});

test('a function passed as an argument is called back in the caller', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const calc = window.hearth.stub('CALCULATOR', 'callback') as any;
    const seen: number[] = [];
    const answer = await calc.callBack(async (x: number) => {
      seen.push(x);
      return x * 2;
    });
    return { answer, seen };
  });
  expect(result).toEqual({ answer: 41, seen: [20] });
});
