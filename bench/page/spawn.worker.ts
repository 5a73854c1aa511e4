/**
 * Part of the cold-start breakdown: a dedicated worker that loads the same
 * module graph an object worker loads (the object-worker entry, which pulls in
 * sqlite-wasm's JS, plus the app's main module) and then says so. It does not
 * instantiate SQLite, take a lock or open a database.
 */
import '../../workers/object.worker.ts';
import './worker.js';

(globalThis as unknown as { postMessage(m: unknown): void }).postMessage('loaded');
