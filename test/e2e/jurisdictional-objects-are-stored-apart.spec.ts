/**
 * Jurisdictions mean something in Hearth (DO-API §1.2, §12): an object of a
 * jurisdiction has its own id, lives in its jurisdiction's own OPFS tree
 * (`/hearth/v1/@<jurisdiction>/…`), is registered with its jurisdiction (as
 * `inspect()` shows), and the API refuses misuse.
 */
import { test, expect } from './fixtures.ts';

test('an object of the eu jurisdiction is stored in its own tree, apart from the same name outside it', async ({ app }) => {
  const result = await app.evaluate(async () => {
    const ns = window.hearth.runtime.env.CALCULATOR;
    const eu = ns.jurisdiction('eu');
    const plain = ns.getByName('jurisdiction-apart');
    const inEu = eu.getByName('jurisdiction-apart');
    await plain.persist('where', 'top level');
    await inEu.persist('where', 'eu');
    const euId = eu.idFromName('jurisdiction-apart').toString();
    const plainId = ns.idFromName('jurisdiction-apart').toString();
    // What OPFS holds, by path.
    const exists = async (path: string[]) => {
      let dir = await navigator.storage.getDirectory();
      try {
        for (const part of path) dir = await dir.getDirectoryHandle(part);
        return true;
      } catch {
        return false;
      }
    };
    const namespace = window.hearth.runtime.config.bindings.find((b) => b.name === 'CALCULATOR')!.namespaceKey;
    const inspection = await window.hearth.runtime.inspect();
    const record = (id: string) => inspection.registry.find((r) => r.id === id);
    return {
      differentIds: euId !== plainId,
      readBack: [await (plain as any).persist('where', 'top level'), await (inEu as any).persist('where', 'eu')],
      euTree: await exists(['hearth', 'v1', '@eu', namespace, euId]),
      euNotInMainTree: !(await exists(['hearth', 'v1', namespace, euId])),
      plainInMainTree: await exists(['hearth', 'v1', namespace, plainId]),
      plainNotInEuTree: !(await exists(['hearth', 'v1', '@eu', namespace, plainId])),
      registeredEu: record(euId)?.jurisdiction ?? null,
      registeredPlain: record(plainId)?.jurisdiction ?? null,
      liveEu: inspection.live.find((e) => e.key.endsWith(euId))?.jurisdiction ?? null,
    };
  });
  expect(result).toEqual({
    differentIds: true,
    readBack: ['top level', 'eu'],
    euTree: true,
    euNotInMainTree: true,
    plainInMainTree: true,
    plainNotInEuTree: true,
    registeredEu: 'eu',
    registeredPlain: null,
    liveEu: 'eu',
  });
});

test('jurisdiction misuse and unknown location hints are refused', async ({ app }) => {
  const errors = await app.evaluate(() => {
    const ns = window.hearth.runtime.env.CALCULATOR;
    const attempt = (fn: () => unknown) => {
      try {
        fn();
        return 'no error';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    const eu = ns.jurisdiction('eu');
    return {
      nested: attempt(() => eu.jurisdiction('us')),
      otherUnique: attempt(() => eu.newUniqueId({ jurisdiction: 'us' })),
      sameUnique: attempt(() => eu.newUniqueId({ jurisdiction: 'eu' }).jurisdiction),
      foreignId: attempt(() => eu.get(ns.idFromName('x'))),
      unknownHint: attempt(() => ns.getByName('x', { locationHint: 'mars' as never })),
      knownHint: attempt(() => typeof ns.getByName('x', { locationHint: 'weur' })),
    };
  });
  expect(errors).toEqual({
    nested: 'TypeError: jurisdiction() cannot be called on a jurisdictional subnamespace (this one is "eu").',
    otherUnique: 'TypeError: newUniqueId() on a "eu" jurisdictional subnamespace cannot make an ID for jurisdiction "us".',
    sameUnique: 'no error',
    foreignId: 'TypeError: get called on jurisdictional subnamespace with an ID from a different jurisdiction',
    unknownHint: 'RangeError: unknown locationHint: mars',
    knownHint: 'no error',
  });
});
