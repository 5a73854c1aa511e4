/**
 * A playground project: its files by name, in tab order. `wrangler.jsonc` is
 * one of them (the bindings, migrations and Hearth settings); the others are
 * the Worker's modules — `.ts` files are type-checked and stripped of types
 * when deployed, `.js` files run as written.
 */
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface Project {
  files: { name: string; text: string }[];
}

export const CONFIG_FILE = 'wrangler.jsonc';

export function configText(project: Project): string {
  return project.files.find((f) => f.name === CONFIG_FILE)?.text ?? '{}';
}

/** The parsed config, or the first JSONC error with its offset. */
export function parseConfig(text: string): { config: Record<string, unknown> } | { error: string; offset: number; length: number } {
  const errors: ParseError[] = [];
  const config = parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown>;
  const first = errors[0];
  if (first) return { error: `${CONFIG_FILE}: ${printParseErrorCode(first.error)}`, offset: first.offset, length: first.length };
  return { config: config ?? {} };
}

/** The Worker's modules: every file but the config. */
export function moduleFiles(project: Project): Record<string, string> {
  return Object.fromEntries(project.files.filter((f) => f.name !== CONFIG_FILE).map((f) => [f.name, f.text]));
}

/** A short stable hash of the whole project (FNV-1a): the same files give the same deployment version. */
export function projectHash(project: Project): string {
  let h = 0x811c9dc5;
  for (const file of project.files) {
    for (const ch of `${file.name}\0${file.text}\0`) {
      h ^= ch.codePointAt(0)!;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

export function isProject(value: unknown): value is Project {
  const files = (value as Project | undefined)?.files;
  return Array.isArray(files) && files.every((f) => typeof f?.name === 'string' && typeof f?.text === 'string');
}
