/**
 * `loadSqlite` instantiates SQLite from a module the host compiled. Emscripten's `instantiateWasm` hook cannot
 * report a failed instantiation, so one used to leave the object's start waiting forever. Real sqlite-wasm
 * (its Node build), a module that cannot link, then the real module.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSqlite } from '../../src/storage/sqlite-open.ts';

/** `(module (import "env" "hearth_absent" (func)))`: Emscripten's imports have no such function. */
const UNLINKABLE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x04, 0x01, 0x60, 0x00, 0x00, // type section: one type, () -> ()
  0x02, 0x15, 0x01, 0x03, ...new TextEncoder().encode('env'), 0x0d, ...new TextEncoder().encode('hearth_absent'), 0x00, 0x00,
]);

describe('loadSqlite', () => {
  it('rejects when the module cannot be instantiated, and loads the real module on the next call', async () => {
    await expect(loadSqlite(new WebAssembly.Module(UNLINKABLE))).rejects.toThrow(WebAssembly.LinkError);

    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@sqlite.org/sqlite-wasm'));
    const sqlite3 = await loadSqlite(new WebAssembly.Module(await readFile(path.join(dist, 'sqlite3.wasm'))));
    const db = new sqlite3.oo1.DB(':memory:');
    expect(db.selectValue('SELECT 6 * 7')).toBe(42);
    db.close();
  });
});
