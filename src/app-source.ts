/**
 * Where a context finds the app's Worker module — the module that exports the
 * Durable Object classes and the Worker's default `fetch` handler.
 *
 *  - `bundled`: the `hearth()` Vite plugin's `virtual:hearth/app`, built into
 *    the object worker and the edge (a service worker cannot `import()` at
 *    run time, so the edge always uses this);
 *  - `url`: a module URL to `import()` (apps wired up by hand, and the tests);
 *  - `modules`: source text (the playground): `main` names the entry in
 *    `modules`; relative imports between them resolve, and `cloudflare:workers`
 *    resolves to Hearth's implementation.
 */
export type AppSource =
  | { kind: 'bundled' }
  | { kind: 'url'; url: string }
  | { kind: 'modules'; main: string; modules: Record<string, string> };
