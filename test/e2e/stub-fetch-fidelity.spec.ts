import { test, expect } from './fixtures.ts';

test('stub.fetch carries method, absolute URL, headers, binary body, cf, status and statusText', async ({ sharedApp: app }) => {
  const result = await app.evaluate(async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const response = await window.hearth.stub('ECHO', 'e').fetch('https://echo.test/path?q=1', {
      method: 'put',
      headers: { 'X-Custom': 'a', Cookie: 'session=1', Host: 'example.com' },
      body: bytes,
      cf: { colo: 'HEARTH' },
    } as RequestInit);
    const echoed = new Uint8Array(await response.arrayBuffer());
    let sum = 0;
    for (const b of bytes) sum = (sum + b) % 65521;
    return {
      status: response.status,
      statusText: response.statusText,
      method: response.headers.get('x-method'),
      url: response.headers.get('x-url'),
      headers: JSON.parse(response.headers.get('x-headers')!),
      length: Number(response.headers.get('x-length')),
      sum: Number(response.headers.get('x-sum')),
      expectedSum: sum,
      echoedLength: echoed.byteLength,
      echoedEqual: echoed.every((b, i) => b === bytes[i]),
      cf: JSON.parse(response.headers.get('x-cf')!),
    };
  });
  expect(result.status).toBe(201);
  expect(result.statusText).toBe('Echoed');
  expect(result.method).toBe('PUT');
  expect(result.url).toBe('https://echo.test/path?q=1');
  // Headers a browser's Request guard would drop (Cookie, Host) arrive intact, as on Cloudflare.
  expect(result.headers).toEqual(expect.arrayContaining([['x-custom', 'a'], ['cookie', 'session=1'], ['host', 'example.com']]));
  expect(result.length).toBe(70_000);
  expect(result.sum).toBe(result.expectedSum);
  expect(result.echoedLength).toBe(70_000);
  expect(result.echoedEqual).toBe(true);
  expect(result.cf).toEqual({ colo: 'HEARTH' });
});

test('a request body given as a stream arrives whole', async ({ sharedApp: app }) => {
  const result = await app.evaluate(async () => {
    const parts = ['alpha-', 'beta-', 'gamma'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
        controller.close();
      },
    });
    const response = await window.hearth.stub('ECHO', 'e').fetch('https://echo.test/', { method: 'POST', body, duplex: 'half' } as RequestInit);
    return { text: await response.text(), length: response.headers.get('x-length') };
  });
  expect(result).toEqual({ text: 'alpha-beta-gamma', length: '16' });
});

test('a streamed response body arrives chunk by chunk', async ({ sharedApp: app }) => {
  const result = await app.evaluate(async () => {
    const response = await window.hearth.stub('ECHO', 'e').fetch('https://echo.test/stream?chunks=4');
    const reader = response.body!.getReader();
    const chunks: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(new TextDecoder().decode(value));
    }
    return { joined: chunks.join(''), type: response.headers.get('content-type') };
  });
  expect(result).toEqual({ joined: 'chunk0;chunk1;chunk2;chunk3;', type: 'text/plain' });
});

test('a null-body status keeps its statusText and has no body', async ({ sharedApp: app }) => {
  const result = await app.evaluate(async () => {
    const response = await window.hearth.stub('ECHO', 'e').fetch('https://echo.test/status');
    return { status: response.status, statusText: response.statusText, body: response.body };
  });
  expect(result).toEqual({ status: 204, statusText: 'Nothing Here', body: null });
});

test('stub.id and stub.name describe the object, and ctx.id inside it matches', async ({ sharedApp: app }) => {
  const result = await app.evaluate(async () => {
    const ns = window.hearth.runtime.env.LEDGER;
    const byName = ns.getByName('named');
    const id = ns.idFromName('named');
    const inside = await (await byName.fetch('https://ledger.test/')).json();
    const unique = ns.newUniqueId();
    const byId = ns.get(unique);
    const insideUnique = await (await byId.fetch('https://ledger.test/')).json();
    return {
      stubName: byName.name,
      idEquals: byName.id.equals(id),
      idString: id.toString(),
      insideName: inside.name,
      insideId: inside.id,
      uniqueName: byId.name ?? null,
      uniqueInsideName: insideUnique.name,
      uniqueInsideId: insideUnique.id,
      uniqueId: unique.toString(),
      viaString: ns.idFromString(id.toString()).equals(id),
      viaStringName: ns.idFromString(id.toString()).name ?? null,
    };
  });
  expect(result.stubName).toBe('named');
  expect(result.idEquals).toBe(true);
  expect(result.insideName).toBe('named');
  expect(result.insideId).toBe(result.idString);
  expect(result.uniqueName).toBeNull();
  expect(result.uniqueInsideName).toBeNull();
  expect(result.uniqueInsideId).toBe(result.uniqueId);
  expect(result.viaString).toBe(true);
  expect(result.viaStringName).toBeNull();
});

test('redirects from the object are followed by the caller unless redirect is manual; Set-Cookie survives', async ({ sharedApp: app }) => {
  const r = await app.evaluate(async () => {
    const stub = window.hearth.stub('ECHO', 'redirects');
    const followed = await stub.fetch('https://echo.test/redirect');
    const manual = await stub.fetch('https://echo.test/redirect', { redirect: 'manual' });
    const cookies = await stub.fetch('https://echo.test/cookies');
    return {
      followed: { status: followed.status, redirected: followed.redirected, text: await followed.text() },
      manual: { status: manual.status, statusText: manual.statusText, location: manual.headers.get('location') },
      cookies: cookies.headers.getSetCookie(),
    };
  });
  expect(r.followed).toEqual({ status: 200, redirected: true, text: 'landed' });
  expect(r.manual).toEqual({ status: 302, statusText: 'Found', location: 'https://echo.test/landing' });
  expect(r.cookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
});
