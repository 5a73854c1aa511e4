/**
 * Finding and reading the app's Wrangler config file (Node only: the Vite
 * plugin). Parsing follows wrangler (`workers-utils` `parse.ts`): `.json` and
 * `.jsonc` both go through jsonc-parser with trailing commas allowed (wrangler
 * accepts comments in `wrangler.json` too), `.toml` is TOML 1.0 (smol-toml),
 * and a UTF-8 byte order mark is dropped. The result goes through
 * `normalizeConfig`, the same check the page runs.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { ConfigError, normalizeConfig, type NormalizedConfig, type WranglerConfig } from '../config.ts';

/**
 * wrangler's own precedence (`findWranglerConfig` in workers-utils
 * `config-helpers.ts`): `wrangler.json`, then `wrangler.jsonc`, then
 * `wrangler.toml`. wrangler also searches parent directories; the Vite plugin
 * is given the app's root, so Hearth looks in that one directory only.
 */
export const WRANGLER_CONFIG_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'] as const;

/** The config file to use: `explicit` (relative to `root`) if given, else the first of `WRANGLER_CONFIG_NAMES` in `root`. */
export function findWranglerConfig(root: string, explicit?: string): string {
  if (explicit !== undefined) {
    const path = resolve(root, explicit);
    if (!existsSync(path)) throw new ConfigError(`${path}: the Wrangler config file given does not exist`);
    return path;
  }
  for (const name of WRANGLER_CONFIG_NAMES) {
    const path = join(root, name);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(
    `${resolve(root)}: no Wrangler config file found; expected one of ${WRANGLER_CONFIG_NAMES.join(', ')} in this directory`,
  );
}

export interface WranglerFile {
  path: string;
  raw: WranglerConfig;
  config: NormalizedConfig;
}

export interface ReadOptions {
  /** The `[env.<name>]` environment (wrangler's `--env`). */
  env?: string;
  /** Read `.dev.vars` next to the config (dev only: a build must not embed local secrets). */
  devVars?: boolean;
}

/**
 * `.dev.vars` as `wrangler dev` reads it: `.dev.vars.<env>` when an
 * environment is selected and that file exists, else `.dev.vars`; dotenv
 * syntax (Node's own parser); every value a string. Returns the file used too,
 * so the dev server can watch it.
 */
export function readDevVars(configPath: string, env?: string): { path: string; vars: Record<string, string> } | undefined {
  const dir = dirname(configPath);
  const candidates = env ? [join(dir, `.dev.vars.${env}`), join(dir, '.dev.vars')] : [join(dir, '.dev.vars')];
  const path = candidates.find((p) => existsSync(p));
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: could not read the file (${(error as Error).message})`);
  }
  return { path, vars: { ...parseEnv(text) } as Record<string, string> };
}

export function readWranglerConfig(path: string, options: ReadOptions = {}): WranglerFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: could not read the file (${(error as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const raw = path.endsWith('.toml') ? parseTomlFile(text, path) : parseJsoncFile(text, path);
  const devVars = options.devVars ? readDevVars(path, options.env)?.vars : undefined;
  return {
    path,
    raw,
    config: normalizeConfig(raw, path, { ...(options.env ? { env: options.env } : {}), ...(devVars ? { devVars } : {}) }),
  };
}

function parseJsoncFile(text: string, path: string): WranglerConfig {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new ConfigError(`${path}:${line}:${column}: ${printParseErrorCode(first.error)}`);
  }
  return value as WranglerConfig;
}

function parseTomlFile(text: string, path: string): WranglerConfig {
  try {
    return parseToml(text) as WranglerConfig;
  } catch (error) {
    // smol-toml's message already shows the line, with a caret under the column.
    const { line, column, message } = error as Error & { line?: number; column?: number };
    const at = line !== undefined && column !== undefined ? `:${line}:${column}` : '';
    throw new ConfigError(`${path}${at}: ${message}`);
  }
}

/** 1-based line and column of a 0-based offset, as editors count them. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
