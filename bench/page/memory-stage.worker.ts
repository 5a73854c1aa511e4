/**
 * Where a spare's memory goes (npm run bench:profile --memory): a worker that stops after one stage of what a
 * spare does, held alive so the runner can read the renderer's resident memory growth per worker.
 *   empty      nothing: the worker and its V8 isolate
 *   wasmOnly   the module instantiated with stub imports and its 8 MB memory, no JS glue
 *   glue       sqlite-wasm's JS module evaluated (no instance)
 *   instance   SQLite instantiated from the page's compiled module and bootstrapped, as `loadSqlite` does
 *   smallHeap  the same, from a copy of the module whose memory starts at 1 MB instead of 8 (`INITIAL_MEMORY`)
 *   database   `instance` + an in-memory database with one table and 100 rows written
 * The page posts `{ stage, module }` and gets back `'ready'`.
 */
type Stage = 'empty' | 'wasmOnly' | 'glue' | 'instance' | 'smallHeap' | 'database';
interface Scope {
  onmessage: ((event: MessageEvent<{ stage: Stage; module: WebAssembly.Module }>) => void) | null;
  postMessage(message: unknown): void;
}
const stageScope = globalThis as unknown as Scope;
// The glue is imported dynamically, so that the `empty` stage does not evaluate it.
stageScope.onmessage = async ({ data: { stage, module } }) => {
  if (stage === 'wasmOnly') {
    const memory = new WebAssembly.Memory({ initial: 128, maximum: 32768 });
    const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
    for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
      (imports[from] ??= {})[name] = kind === 'memory' ? memory : () => 0;
    }
    (globalThis as { keep?: unknown }).keep = await WebAssembly.instantiate(module, imports);
  } else if (stage !== 'empty') {
    const init = (await import('@sqlite.org/sqlite-wasm')).default as unknown as (options: object) => Promise<any>;
    if (stage !== 'glue') {
      const sqlite3 = await init({
        ...(stage === 'smallHeap' && { INITIAL_MEMORY: 1 << 20 }),
        instantiateWasm(imports: WebAssembly.Imports, onSuccess: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
          void WebAssembly.instantiate(module, imports).then((instance) => onSuccess(instance, module));
          return {};
        },
        print: () => {},
        printErr: () => {},
      });
      if (stage === 'database') {
        const db = new sqlite3.oo1.DB(':memory:');
        db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)');
        for (let i = 0; i < 100; i++) db.exec({ sql: 'INSERT INTO t VALUES (?, ?)', bind: [`key-${i}`, new Uint8Array(100)] });
        (globalThis as { keep?: unknown }).keep = db;
      }
      (globalThis as { keep2?: unknown }).keep2 = sqlite3;
    }
  }
  stageScope.postMessage('ready');
};
