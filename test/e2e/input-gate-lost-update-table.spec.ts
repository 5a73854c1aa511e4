import { test, expect } from './fixtures.ts';

/**
 * DO-API §15, observed in workerd: 100 concurrent requests each doing
 * `v = await get('n'); await X; await put('n', v + 1)`.
 */
const cases: { x: string; bcw?: boolean; expectAll: boolean }[] = [
  { x: 'nothing', expectAll: true },
  { x: 'resolved', expectAll: true },
  { x: 'read', expectAll: true },
  { x: 'digest', expectAll: true },
  { x: 'timeout0', expectAll: false },
  { x: 'timeout5', expectAll: false },
  { x: 'fetch-object', expectAll: false },
  { x: 'timeout5', bcw: true, expectAll: true },
  { x: 'fetch-object', bcw: true, expectAll: true },
];

for (const { x, bcw, expectAll } of cases) {
  const title = `awaiting ${x}${bcw ? ' inside blockConcurrencyWhile' : ''} ${expectAll ? 'keeps every update (the input gate holds)' : 'lets other requests in, so updates are lost'}`;
  // Only objects of its own: the cases share one page (sharedApp), so each pays no Hearth boot of its own.
  test(title, async ({ sharedApp }) => {
    const count = await sharedApp.evaluate(
      async ({ x, bcw, name }) => {
        const stub = window.hearth.stub('RACER', name);
        const query = `x=${x}${bcw ? '&bcw=1' : ''}`;
        await Promise.all(Array.from({ length: 100 }, () => stub.fetch(`https://racer/race?${query}`).then((r) => r.text())));
        return (await stub.fetch('https://racer/count')).json();
      },
      { x, bcw, name: `lost-update-${x}-${bcw ? 'bcw' : 'plain'}` },
    );
    if (expectAll) expect(count).toBe(100);
    else expect(count).toBeLessThan(100);
  });
}
