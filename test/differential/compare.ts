/**
 * Field-by-field comparison of two scenario summaries (plain JSON), and the
 * check of a documented difference against what the two runtimes gave.
 *
 * Paths read like JavaScript: `value.key2049.error.message`, `value[3][1]`.
 * A top-level `value.info` is context for humans and never compared.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Difference {
  path: string;
  hearth: Json | undefined;
  workerd: Json | undefined;
}

/** What a documented difference says each runtime gives at `path` (see intended-differences.ts). */
export interface ExpectedDifference {
  /** Why the runtimes differ. */
  reason: string;
  /** Path → the value each runtime gives there. Everything outside these paths must be equal. */
  differs: Record<string, { hearth: Json | undefined; workerd: Json | undefined }>;
}

const IGNORED = new Set(['value.info']);

function step(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every leaf where the two summaries differ (a missing side is `undefined`). */
export function differences(hearth: Json | undefined, workerd: Json | undefined, path = ''): Difference[] {
  if (IGNORED.has(path.replace(/^\./, ''))) return [];
  if (Array.isArray(hearth) && Array.isArray(workerd)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(hearth.length, workerd.length); i++) out.push(...differences(hearth[i], workerd[i], step(path, i)));
    return out;
  }
  if (isObject(hearth) && isObject(workerd)) {
    const out: Difference[] = [];
    const keys = [...new Set([...Object.keys(hearth), ...Object.keys(workerd)])];
    for (const key of keys) {
      const p = step(path, key);
      if (!(key in hearth)) out.push({ path: clean(p), hearth: undefined, workerd: workerd[key] });
      else if (!(key in workerd)) out.push({ path: clean(p), hearth: hearth[key], workerd: undefined });
      else out.push(...differences(hearth[key], workerd[key], p));
    }
    return out;
  }
  return JSON.stringify(hearth) === JSON.stringify(workerd) ? [] : [{ path: clean(path), hearth, workerd }];
}

function clean(path: string): string {
  return path.replace(/^\./, '') || '(root)';
}

/** The value at a path produced by `differences` (or written the same way). */
export function valueAt(root: Json | undefined, path: string): Json | undefined {
  let value: Json | undefined = root;
  const re = /(?:^|\.)([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < path.length && (m = re.exec(path))) {
    consumed = re.lastIndex;
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3]!));
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, Json>)[key];
  }
  if (consumed !== path.length) throw new Error(`cannot read path ${path}`);
  return value;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/**
 * Check the summaries against a documented difference. Returns the problems:
 * a difference outside the documented paths, a documented path where the
 * runtimes now agree, or a runtime giving something other than documented.
 */
export function checkExpected(hearth: Json, workerd: Json, expected: ExpectedDifference): string[] {
  const problems: string[] = [];
  const diffs = differences(hearth, workerd);
  const paths = Object.keys(expected.differs);
  for (const d of diffs) {
    if (!paths.some((p) => under(d.path, p))) problems.push(`undocumented difference ${format(d)}`);
  }
  for (const [path, sides] of Object.entries(expected.differs)) {
    if (!diffs.some((d) => under(d.path, path))) problems.push(`${path}: the runtimes now agree (${show(valueAt(hearth, path))}); update the entry`);
    for (const side of ['hearth', 'workerd'] as const) {
      const actual = valueAt(side === 'hearth' ? hearth : workerd, path);
      if (canonical(actual) !== canonical(sides[side])) {
        problems.push(`${path}: ${side} gave ${show(actual)}, documented ${show(sides[side])}`);
      }
    }
  }
  return problems;
}

/** JSON with object keys sorted, so documented values can be written in any key order. */
function canonical(value: Json | undefined): string {
  return JSON.stringify(value, (_key, v: Json) =>
    isObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  ) ?? 'undefined';
}

/** Merge the documented differences of one scenario (an intended one and a known bug may share a scenario). */
export function merge(...entries: (ExpectedDifference | undefined)[]): ExpectedDifference | undefined {
  const present = entries.filter((e): e is ExpectedDifference => e !== undefined);
  if (present.length === 0) return undefined;
  return {
    reason: present.map((e) => e.reason).join(' | '),
    differs: Object.assign({}, ...present.map((e) => e.differs)),
  };
}

// Builders for documented values, in the shapes describe.js produces.

/** `{ ok: true, value }`: the call returned `value` (already described). */
export const returned = (value: Json): Json => ({ ok: true, value });

/** How describe.js writes `undefined`. */
export const UNDEFINED: Json = { undefined: true };

/** A described error of class `ctor` (name defaults to the class name). */
export function error(ctor: string, message: string, more: { name?: string; props?: Record<string, Json>; code?: number } = {}): Json {
  const isDOMException = ctor === 'DOMException';
  return {
    error: ctor,
    name: more.name ?? ctor,
    message,
    isError: true,
    isDOMException,
    ...(isDOMException ? { code: more.code ?? 0 } : {}),
    props: more.props ?? {},
  };
}

/** `{ ok: false, error }`: the call threw. */
export const threw = (ctor: string, message: string, more: Parameters<typeof error>[2] = {}): Json => ({
  ok: false,
  error: error(ctor, message, more),
});

/** A `DataCloneError` DOMException (code 25). */
export const dataCloneError = (message: string): Json => threw('DOMException', message, { name: 'DataCloneError', code: 25 });

export function show(value: Json | undefined, max = 400): string {
  const text = value === undefined ? '(absent)' : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function format(d: Difference): string {
  return `${d.path}\n    hearth:  ${show(d.hearth)}\n    workerd: ${show(d.workerd)}`;
}
