import { test, expect } from './fixtures.ts';

test('an error thrown by the object reaches the caller with its name, message, own properties and remote: true', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const thrown = await window.hearth.settle(window.hearth.stub('THROWS', 't').fetch('https://t.test/'));
    const calls = await window.hearth.fetch('THROWS', 't', '/calls');
    return { thrown, calls: calls.text };
  });
  expect(result.thrown.ok).toBe(false);
  expect(result.thrown.error).toMatchObject({ name: 'TypeError', ctor: 'TypeError', message: 'bad thing happened', remote: true, detail: { code: 42 } });
  // A throw in a handler does not reset the object: the same instance counts on.
  expect(result.calls).toBe('2');
});

test('a constructor that throws fails that request; the next request constructs again', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const first = await window.hearth.settle(window.hearth.stub('FRAGILE', 'f').fetch('https://f.test/'));
    const second = await window.hearth.fetch('FRAGILE', 'f', '/');
    return { first, second: second.text };
  });
  expect(result.first.ok).toBe(false);
  expect(result.first.error).toMatchObject({ name: 'RangeError', message: 'constructor refused', code: 'E_FRAGILE', remote: true });
  expect(result.second).toBe('constructed');
});

test('a class without fetch() says so', async ({ app }) => {
  const result = await app.evaluate(() => window.hearth.settle(window.hearth.stub('SILENT', 's').fetch('https://s.test/')));
  // workerd raises a plain Error here (checked by the differential test).
  expect(result.error).toMatchObject({ name: 'Error', message: 'Handler does not export a fetch() function.' });
});

test('a binding whose class the Worker does not export fails clearly, and other objects still work', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const missing = await window.hearth.settle(window.hearth.stub('MISSING', 'm').fetch('https://m.test/'));
    const again = await window.hearth.settle(window.hearth.stub('MISSING', 'm').fetch('https://m.test/'));
    const ok = await window.hearth.fetch('COUNTER', 'c', '/increment');
    return { missing, again, ok: ok.text };
  });
  expect(result.missing.error).toMatchObject({ name: 'TypeError', message: 'Worker does not export a Durable Object class named "NotExported"' });
  expect(result.again.error?.message).toBe('Worker does not export a Durable Object class named "NotExported"');
  expect(result.ok).toBe('1');
});
