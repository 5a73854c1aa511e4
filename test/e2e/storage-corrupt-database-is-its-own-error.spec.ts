/**
 * STYLE.md §8: a database that is not a database is its own error —
 * `StorageCorruptError`, not "unavailable" and not an empty object. Hearth
 * never repairs or replaces it silently; other objects are unaffected.
 */
import { test, expect, openApp } from './fixtures.ts';

test('an object whose database file was overwritten fails with StorageCorruptError; other objects keep working', async ({ context }) => {
  const first = await openApp(context);
  expect(await first.evaluate(() => window.hearth.probe('damaged', `async (storage) => { await storage.put('k', 'v'); return 'stored'; }`))).toEqual({
    ok: true,
    value: 'stored',
  });
  const id = await first.evaluate(() => window.hearth.runtime.env.PROBE.idFromName('damaged').toString());
  // The tab (and with it the object's worker and its handles) goes; the files stay.
  await first.close();

  const page = await openApp(context);
  const overwritten = await page.evaluate(async (id) => {
    // The object's opfs-sahpool directory (its slot files are in .opaque): each slot file starts with a 4096-byte header naming the file it holds.
    let dir = await navigator.storage.getDirectory();
    for (const part of ['hearth', 'v1', 'hearth-test-app-Probe', id, '.opaque']) dir = await dir.getDirectoryHandle(part);
    const names: string[] = [];
    for await (const [name, handle] of (dir as any).entries() as AsyncIterable<[string, FileSystemHandle]>) {
      if (handle.kind !== 'file') continue;
      const file = await (handle as FileSystemFileHandle).getFile();
      const path = new TextDecoder().decode(await file.slice(0, 512).arrayBuffer()).replace(/\0.*$/s, '');
      if (path !== '/object.sqlite3' && path !== '/object.sqlite3-wal') continue;
      const writable = await (handle as FileSystemFileHandle).createWritable({ keepExistingData: true });
      await writable.write({ type: 'write', position: 4096, data: new TextEncoder().encode('this is not a database '.repeat(200)) });
      await writable.close();
      names.push(path);
    }
    return names.sort();
  }, id);
  expect(overwritten).toContain('/object.sqlite3');

  const damaged = await page.evaluate(() => window.hearth.settle(window.hearth.probe('damaged', `async (storage) => storage.get('k')`)));
  expect(damaged.ok).toBe(false);
  expect(damaged.error.name).toBe('StorageCorruptError');
  expect(damaged.error.message).toMatch(/^Durable Object storage is corrupt: the object's database at \/hearth\/v1\/hearth-test-app-Probe\/[0-9a-f]{64} is not a valid SQLite database \(/);
  expect(damaged.error.message).toContain('Hearth does not repair or replace it');

  expect(await page.evaluate(() => window.hearth.probe('healthy', `async (storage) => { await storage.put('k', 1); return storage.get('k'); }`))).toEqual({
    ok: true,
    value: 1,
  });
});
