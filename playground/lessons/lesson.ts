/**
 * What a lesson is: starter code, what to try, what to watch, a check, and
 * the Cloudflare documentation it teaches. Checks are pure functions of what
 * the runtime really did — the calls' results (call-log.ts, from every tab)
 * and the gate records of this tab's objects (`runtime.observe()`) — so a
 * check passes only when the behaviour happened, and the unit tests can feed
 * them recorded runs.
 */
import type { CallRecord } from '../call-log.ts';
import type { GateRecord } from '../gate-feed.ts';
import type { Project } from '../project.ts';

export interface CheckInput {
  calls: readonly CallRecord[];
  gates: readonly GateRecord[];
  /** The object id (hex) of `binding.getByName(name)` under the running deployment. */
  idOf(binding: string, name: string): string | undefined;
}

export interface CheckResult {
  passed: boolean;
  /** One line per thing the check looks for, ticked when seen. */
  items: { text: string; done: boolean }[];
}

export interface Lesson {
  id: string;
  title: string;
  /** One paragraph: the guarantee, in plain words. */
  summary: string;
  project: Project;
  /** What the call panel is set to when the lesson opens. */
  call: { binding: string; name: string; method: string; args: string; times: number };
  steps: string[];
  /** What to look for on the timeline and the other panels. */
  watch: string;
  docs: { label: string; url: string }[];
  check(input: CheckInput): CheckResult;
}

export function result(items: { text: string; done: boolean }[]): CheckResult {
  return { passed: items.every((i) => i.done), items };
}

/** The gate records of one object (by binding and name). */
export function gatesOf(input: CheckInput, binding: string, name: string): GateRecord[] {
  const id = input.idOf(binding, name);
  if (!id) return [];
  return input.gates.filter((g) => g.key.endsWith(`:${id}`));
}

/** The ends of one object's instances: each time it left memory (evicted, hibernated). */
export function evictionsOf(input: CheckInput, binding: string, name: string): GateRecord[] {
  return gatesOf(input, binding, name).filter((g) => g.event.kind === 'evicted');
}

/** Successful calls to one object, optionally of one method. */
export function callsTo(input: CheckInput, binding: string, name: string, method?: string): CallRecord[] {
  return input.calls.filter((c) => c.binding === binding && c.name === name && (method === undefined || c.method === method));
}

function wrangler(binding: string, className: string, hearth: Record<string, unknown> = {}): string {
  const extra = Object.keys(hearth).length
    ? `,\n  // Hearth's own settings (wrangler ignores this key).\n  "hearth": ${JSON.stringify(hearth)}`
    : '';
  return `{
  "name": "playground",
  "main": "worker.ts",
  "compatibility_date": "2026-07-01",
  "durable_objects": { "bindings": [{ "name": "${binding}", "class_name": "${className}" }] },
  "migrations": [{ "tag": "v1", "new_sqlite_classes": ["${className}"] }]${extra}
}
`;
}

/** The Worker's main module of a lesson: it re-exports the class from its own file. */
function workerModule(className: string, file: string): string {
  return `// The Worker's main module: it exports the Durable Object classes (and a fetch handler for the Worker).
export { ${className} } from './${file}';

export default {
  fetch: () => new Response('The playground calls objects directly; try the call panel.'),
};
`;
}

/**
 * A lesson's project: the Worker's main module, the file with the one Durable
 * Object class the lesson teaches, and a wrangler.jsonc binding that class
 * (with Hearth's own settings, such as a short idle timeout, where given).
 */
export function oneClassProject(lesson: { binding: string; className: string; file: string; source: string; hearth?: Record<string, unknown> }): Project {
  return {
    files: [
      { name: 'worker.ts', text: workerModule(lesson.className, lesson.file) },
      { name: lesson.file, text: lesson.source },
      { name: 'wrangler.jsonc', text: wrangler(lesson.binding, lesson.className, lesson.hearth) },
    ],
  };
}
