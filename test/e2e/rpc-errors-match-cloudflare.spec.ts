import { test, expect } from './fixtures.ts';

test('RPC failures carry Cloudflare\'s error types and messages, and the object keeps serving', async ({ app }) => {
  const r = await app.evaluate(async () => {
    const { settle } = window.hearth;
    const calc = window.hearth.stub('CALCULATOR', 'errors') as any;
    class Local {
      y = 2;
    }
    return {
      thrown: await settle(calc.fail()),
      missing: await settle(calc.nope()),
      field: await settle(calc.total),
      arrowField: await settle(calc.instanceArrow()),
      reserved: await settle(calc.alarm()),
      ctor: await settle(Promise.resolve().then(() => calc.constructor())),
      notFunction: await settle(calc.current()),
      returnsClass: await settle(calc.returnsClass()),
      argClass: await settle(calc.echo(new Local())),
      argSymbol: await settle(calc.echo(Symbol('s'))),
      plainClass: await settle((window.hearth.stub('COUNTER', 'plain') as any).increment()),
      stillWorks: await calc.add(1),
    };
  });
  expect(r.thrown.error).toMatchObject({ name: 'RangeError', ctor: 'RangeError', message: 'calculator refused', code: 'E_CALC', remote: true });
  expect(r.missing.error).toMatchObject({ name: 'TypeError', message: 'The RPC receiver does not implement the method "nope".' });
  expect(r.field.error).toMatchObject({ name: 'TypeError', message: 'The RPC receiver does not implement the method "total".' });
  expect(r.arrowField.error).toMatchObject({ message: 'The RPC receiver does not implement the method "instanceArrow".' });
  expect(r.reserved.error).toMatchObject({ name: 'TypeError', message: "'alarm' is a reserved method and cannot be called over RPC." });
  // `constructor` is the stub's own member, as in workerd: calling it fails locally, not remotely.
  expect(r.ctor.error).toMatchObject({ name: 'TypeError', message: 'Illegal constructor' });
  expect(r.ctor.error.remote).toBeUndefined();
  expect(r.notFunction.error).toMatchObject({ name: 'TypeError', message: '"current" is not a function.' });
  expect(r.returnsClass.error).toMatchObject({
    name: 'DataCloneError',
    message: 'Could not serialize object of type "NotSerializable". This type does not support serialization.',
  });
  expect(r.argClass.error).toMatchObject({
    name: 'DataCloneError',
    message: 'Could not serialize object of type "Local". This type does not support serialization.',
  });
  expect(r.argSymbol.error).toMatchObject({ name: 'DataCloneError', message: 'Symbol(s) could not be cloned.' });
  expect(r.plainClass.error).toMatchObject({
    name: 'TypeError',
    message:
      'The receiving Durable Object does not support RPC, because its class was not declared with `extends DurableObject`. In order to enable RPC, make sure your class extends the special class `DurableObject`, which can be imported from the module "cloudflare:workers".',
  });
  expect(r.stillWorks).toBe(1);
});
