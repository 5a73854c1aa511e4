/**
 * `[env.<name>]` environments, read as wrangler reads them (`--env <name>`;
 * Hearth: `hearth({ env })` or `CLOUDFLARE_ENV`), flattened into one config
 * before it is normalised:
 *
 *  - inheritable keys (`main`, `compatibility_date`, `compatibility_flags`,
 *    `limits`, and Hearth's own `hearth`) come from the environment if it sets
 *    them, else from the top level;
 *  - `name` is the environment's, else `<top-level name>-<env>` (so its
 *    Durable Objects get namespaces, ids and storage of their own, as the
 *    separate Worker wrangler deploys would);
 *  - bindings and `vars` are not inherited: only what the environment declares;
 *  - `migrations` and `exports` are top-level only.
 *
 * Pure and browser-safe, like config.ts.
 */
import { isRecord, show, type Fail } from './config-migrations.ts';
import type { WranglerConfig } from './config-record.ts';
import { BINDING_KINDS } from './unsupported-bindings.ts';

const INHERITABLE = ['main', 'compatibility_date', 'compatibility_flags', 'limits', 'hearth'] as const;
const NOT_INHERITED = ['vars', 'durable_objects', ...Object.keys(BINDING_KINDS)];
const TOP_LEVEL_ONLY = ['migrations', 'exports'];

export function selectEnvironment(raw: WranglerConfig, envName: string | undefined, fail: Fail): WranglerConfig {
  const envs = (raw as { env?: unknown }).env;
  if (envs !== undefined && !isRecord(envs)) fail(`Expected "env" to be of type object but got ${show(envs)}.`);
  const { env: _envs, ...top } = raw as WranglerConfig & { env?: unknown };
  if (envName === undefined || envName === '') return top;
  const named = envs as Record<string, unknown> | undefined;
  if (!named || Object.keys(named).length === 0) {
    // As wrangler: with no environments declared at all, the top level stands in for the one asked for.
    return top;
  }
  const section = named[envName];
  if (section === undefined) {
    fail(
      `No environment found in configuration with name "${envName}". The available configured environment names are: ${JSON.stringify(Object.keys(named))}`,
    );
  }
  if (!isRecord(section)) fail(`Expected "env.${envName}" to be of type object but got ${show(section)}.`);
  const own = section as Record<string, unknown>;
  for (const key of TOP_LEVEL_ONLY) {
    if (own[key] !== undefined) fail(`"env.${envName}.${key}" is not allowed: "${key}" is a top-level only field`);
  }
  const out: Record<string, unknown> = {};
  for (const key of TOP_LEVEL_ONLY) if ((top as Record<string, unknown>)[key] !== undefined) out[key] = (top as Record<string, unknown>)[key];
  for (const key of INHERITABLE) {
    const value = own[key] ?? (top as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = value;
  }
  out.name = own.name ?? (top.name !== undefined ? `${top.name}-${envName}` : undefined);
  if (out.name === undefined) delete out.name;
  for (const key of NOT_INHERITED) if (own[key] !== undefined) out[key] = own[key];
  return out as WranglerConfig;
}
