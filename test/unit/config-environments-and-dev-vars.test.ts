import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/config.ts';
import { readWranglerConfig } from '../../src/vite/wrangler-file.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-env-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const BASE = {
  name: 'app',
  main: 'src/worker.ts',
  compatibility_date: '2026-01-01',
  vars: { MODE: 'top' },
  durable_objects: { bindings: [{ name: 'COUNTER', class_name: 'Counter' }] },
  kv_namespaces: [{ binding: 'CACHE', id: 'x' }],
  migrations: [{ tag: 'v1', new_sqlite_classes: ['Counter'] }],
  env: {
    staging: { vars: { MODE: 'staging' }, durable_objects: { bindings: [{ name: 'COUNTER', class_name: 'Counter' }] } },
    named: { name: 'custom-name', compatibility_date: '2026-02-02', main: 'src/other.ts' },
  },
};

describe('[env.<name>] environments', () => {
  it('reads the top level when no environment is asked for, ignoring the env sections', () => {
    const config = normalizeConfig(BASE);
    expect(config.name).toBe('app');
    expect(config.vars).toEqual({ MODE: 'top' });
    expect(config.unsupportedBindings).toEqual([{ name: 'CACHE', kind: 'KV namespace', key: 'kv_namespaces' }]);
    expect(config.environment).toBeUndefined();
  });

  it('gives an environment its own vars and bindings, inherits main and dates, and names the Worker <name>-<env>', () => {
    const config = normalizeConfig(BASE, 'wrangler.jsonc', { env: 'staging' });
    expect(config).toMatchObject({ name: 'app-staging', main: 'src/worker.ts', compatibilityDate: '2026-01-01', environment: 'staging' });
    expect(config.vars).toEqual({ MODE: 'staging' });
    expect(config.bindings).toEqual([{ name: 'COUNTER', className: 'Counter', namespaceKey: 'app-staging-Counter', sqlite: true }]);
    // Bindings are not inherited: the top level's KV namespace is not declared here.
    expect(config.unsupportedBindings).toBeUndefined();
  });

  it('does not inherit vars or bindings, and takes the environment\'s own name, main and date', () => {
    const config = normalizeConfig(BASE, 'wrangler.jsonc', { env: 'named' });
    expect(config).toMatchObject({ name: 'custom-name', main: 'src/other.ts', compatibilityDate: '2026-02-02' });
    expect(config.vars).toEqual({});
    expect(config.bindings).toEqual([]);
  });

  it('refuses an environment the config does not have, listing the ones it has', () => {
    expect(() => normalizeConfig(BASE, 'wrangler.jsonc', { env: 'prod' })).toThrow(
      'wrangler.jsonc: No environment found in configuration with name "prod". The available configured environment names are: ["staging","named"]',
    );
  });

  it('refuses migrations inside an environment (a top-level only field)', () => {
    const bad = { ...BASE, env: { staging: { migrations: [] } } };
    expect(() => normalizeConfig(bad, 'w', { env: 'staging' })).toThrow('"env.staging.migrations" is not allowed');
  });

  it('uses the top level for an asked-for environment when the config declares none, as wrangler does', () => {
    const { env: _env, ...noEnvs } = BASE;
    expect(normalizeConfig(noEnvs, 'w', { env: 'staging' }).name).toBe('app');
  });
});

describe('.dev.vars', () => {
  const wrangler = JSON.stringify({ name: 'app', vars: { A: 'from vars', B: 'kept' } });

  it('adds its secrets to vars (winning over them) when asked, and not otherwise', () => {
    const dir = tempDir({ 'wrangler.json': wrangler, '.dev.vars': 'A=from dev vars\nSECRET="s3cr#t"\n# a comment\n' });
    const path = join(dir, 'wrangler.json');
    expect(readWranglerConfig(path, { devVars: true }).config.vars).toEqual({ A: 'from dev vars', B: 'kept', SECRET: 's3cr#t' });
    expect(readWranglerConfig(path).config.vars).toEqual({ A: 'from vars', B: 'kept' });
  });

  it('prefers .dev.vars.<env> for an environment, and falls back to .dev.vars', () => {
    const config = JSON.stringify({ name: 'app', env: { staging: { vars: { A: 'staging' } }, qa: {} } });
    const dir = tempDir({ 'wrangler.json': config, '.dev.vars': 'S=plain', '.dev.vars.staging': 'S=for staging' });
    const path = join(dir, 'wrangler.json');
    expect(readWranglerConfig(path, { devVars: true, env: 'staging' }).config.vars).toEqual({ A: 'staging', S: 'for staging' });
    expect(readWranglerConfig(path, { devVars: true, env: 'qa' }).config.vars).toEqual({ S: 'plain' });
  });
});
