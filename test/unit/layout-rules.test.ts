/**
 * The layout's rules (README "Layout"), checked on the source itself: which
 * folder may import which, that the strings contexts agree on are spelled in
 * one module each, and that no import circle exists. Reads files only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, dir))) {
    const rel = path.posix.join(dir, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.ts$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

const FILES = [...sourceFiles('src'), ...sourceFiles('workers')];
const TEXT = new Map(FILES.map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')]));

/** Relative imports (static, re-exports, and `import()`), resolved to repository paths. */
function importsOf(file: string): string[] {
  const text = TEXT.get(file)!;
  const found = new Set<string>();
  const patterns = [/\b(?:import|export)\s[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g, /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g, /^import\s+['"](\.{1,2}\/[^'"]+)['"]/gm];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.add(path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]!)));
  }
  return [...found];
}

const IMPORTS = new Map(FILES.map((f) => [f, importsOf(f)]));

function violations(from: string, forbidden: string[]): string[] {
  const out: string[] = [];
  for (const [file, targets] of IMPORTS) {
    if (!file.startsWith(from)) continue;
    for (const target of targets) if (forbidden.some((f) => target.startsWith(f))) out.push(`${file} -> ${target}`);
  }
  return out;
}

describe('the layout', () => {
  it('caller code, used from every context, imports no host, object, edge, coordinator or storage code', () => {
    expect(violations('src/caller/', ['src/host/', 'src/object/', 'src/edge/', 'src/coordinator/', 'src/storage/', 'src/vite/'])).toEqual([]);
  });

  it('the coordinator imports no storage, object, host, caller or edge code', () => {
    expect(violations('src/coordinator/', ['src/storage/', 'src/object/', 'src/host/', 'src/caller/', 'src/edge/'])).toEqual([]);
  });

  it('the edge imports no object, storage or host code', () => {
    expect(violations('src/edge/', ['src/object/', 'src/storage/', 'src/host/'])).toEqual([]);
  });

  it('storage knows nothing of events, hosts, callers or the edge', () => {
    expect(violations('src/storage/', ['src/object/', 'src/host/', 'src/caller/', 'src/edge/', 'src/coordinator/'])).toEqual([]);
  });

  it('protocol.ts imports only modules of plain value types', () => {
    expect(IMPORTS.get('src/protocol.ts')!.sort()).toEqual(['src/app-source.ts', 'src/config-record.ts']);
  });

  it('names, brands and the config record import nothing', () => {
    for (const file of ['src/names.ts', 'src/brands.ts', 'src/config-record.ts', 'src/app-source.ts']) {
      expect(IMPORTS.get(file), file).toEqual([]);
    }
  });

  it('nothing in src/ imports a workers/ entry', () => {
    expect(violations('src/', ['workers/'])).toEqual([]);
  });

  it('lock names and brands are spelled only in names.ts and brands.ts', () => {
    for (const [file, text] of TEXT) {
      if (file !== 'src/brands.ts') expect(text.includes("Symbol.for('hearth"), file).toBe(false);
      if (file !== 'src/names.ts') expect(/hearth:(host|object|coordinator):/.test(text), file).toBe(false);
    }
  });

  it('has no import circles', () => {
    const circles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const next of IMPORTS.get(file) ?? []) {
        if (state.get(next) === 'visiting') circles.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
        else if (!state.has(next) && IMPORTS.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of FILES) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });
});
