import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { findWranglerConfig, readWranglerConfig, WRANGLER_CONFIG_NAMES } from '../../src/vite/wrangler-file.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-wrangler-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('findWranglerConfig', () => {
  it('uses wrangler precedence: wrangler.json, then wrangler.jsonc, then wrangler.toml', () => {
    expect(WRANGLER_CONFIG_NAMES).toEqual(['wrangler.json', 'wrangler.jsonc', 'wrangler.toml']);
    const dir = tempDir({ 'wrangler.toml': 'name = "t"\n' });
    expect(findWranglerConfig(dir)).toBe(join(dir, 'wrangler.toml'));
    writeFileSync(join(dir, 'wrangler.jsonc'), '{}');
    expect(findWranglerConfig(dir)).toBe(join(dir, 'wrangler.jsonc'));
    writeFileSync(join(dir, 'wrangler.json'), '{}');
    expect(findWranglerConfig(dir)).toBe(join(dir, 'wrangler.json'));
  });

  it('an explicit path wins and is resolved against the root', () => {
    const dir = tempDir({ 'wrangler.json': '{}', 'other.toml': '' });
    expect(findWranglerConfig(dir, 'other.toml')).toBe(join(dir, 'other.toml'));
  });

  it('says which directory and which names it looked for when there is no config', () => {
    const dir = tempDir();
    const error = thrown(() => findWranglerConfig(dir));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${dir}: no Wrangler config file found; expected one of wrangler.json, wrangler.jsonc, wrangler.toml in this directory`,
    );
  });

  it('refuses an explicit path that does not exist', () => {
    const dir = tempDir();
    expect(thrown(() => findWranglerConfig(dir, 'nope.jsonc')).message).toBe(
      `${join(dir, 'nope.jsonc')}: the Wrangler config file given does not exist`,
    );
  });
});

describe('readWranglerConfig', () => {
  it('normalises the same app identically from JSONC and from TOML', () => {
    const fromJsonc = readWranglerConfig(join(FIXTURES, 'chat-jsonc', 'wrangler.jsonc'));
    const fromToml = readWranglerConfig(join(FIXTURES, 'chat-toml', 'wrangler.toml'));
    expect(fromToml.raw).toEqual(fromJsonc.raw);
    expect(fromToml.config).toEqual(fromJsonc.config);
    expect(fromJsonc.config).toEqual({
      name: 'chat',
      main: 'src/worker.ts',
      compatibilityDate: '2026-06-01',
      compatibilityFlags: ['nodejs_compat'],
      routes: ['/api/*', '/health'],
      classes: [
        { className: 'Counter', namespaceKey: 'chat-Counter', sqlite: true },
        { className: 'ChatRoom', namespaceKey: 'chat-Room', sqlite: true },
        { className: 'Inbox', namespaceKey: 'mail-Mailbox', sqlite: true },
      ],
      migrations: [
        { tag: 'v1', deletedNamespaceKeys: [] },
        { tag: 'v2', deletedNamespaceKeys: [] },
        { tag: 'v3', deletedNamespaceKeys: ['chat-Legacy'] },
        { tag: 'v4', deletedNamespaceKeys: [] },
      ],
      bindings: [
        { name: 'ROOM', className: 'ChatRoom', namespaceKey: 'chat-Room', sqlite: true },
        { name: 'COUNTER', className: 'Counter', namespaceKey: 'chat-Counter', sqlite: true },
        { name: 'INBOX', className: 'Inbox', namespaceKey: 'mail-Mailbox', sqlite: true },
      ],
      vars: { GREETING: 'hi', RETRIES: 3, DEBUG: false, LIMITS: { rooms: 10 } },
      idleTimeoutMs: 5000,
      maxLiveObjectsPerHost: 64,
      lockTimeoutMs: 10_000,
      durability: 'normal',
      cpuMs: 50_000,
    });
  });

  it('reads wrangler.json as JSONC, as wrangler does (comments, trailing commas, a byte order mark)', () => {
    const dir = tempDir({ 'wrangler.json': '\ufeff{ // note\n "name": "j",\n}' });
    expect(readWranglerConfig(join(dir, 'wrangler.json')).config.name).toBe('j');
  });

  it('names file, line and column of a JSONC syntax error', () => {
    const dir = tempDir({ 'wrangler.jsonc': '{\n  "name": "x",\n  "main" "a.ts"\n}' });
    const path = join(dir, 'wrangler.jsonc');
    const error = thrown(() => readWranglerConfig(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`${path}:3:10: ColonExpected`);
  });

  it('refuses an empty JSONC file', () => {
    const path = join(tempDir({ 'wrangler.jsonc': '' }), 'wrangler.jsonc');
    expect(thrown(() => readWranglerConfig(path)).message).toBe(`${path}:1:1: ValueExpected`);
  });

  it('keeps the TOML parser message and its position, prefixed with the file', () => {
    const path = join(tempDir({ 'wrangler.toml': 'name = "x"\nmain = \n' }), 'wrangler.toml');
    const error = thrown(() => readWranglerConfig(path));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message.startsWith(`${path}:2:`)).toBe(true);
    expect(error.message).toContain('Invalid TOML document');
    expect(error.message).toContain('2:  main = ');
  });

  it('reports a config mistake with the file path first', () => {
    const path = join(tempDir({ 'wrangler.toml': '[[migrations]]\ntag = "v1"\ndeleted_classes = ["A"]\n' }), 'wrangler.toml');
    expect(thrown(() => readWranglerConfig(path)).message).toBe(
      `${path}: "migrations[0].deleted_classes": Cannot apply deleted_classes migration to non-existent class A`,
    );
  });
});
