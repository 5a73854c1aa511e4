/** Stored values shown and edited in the devtools (src/devtools/value-format.ts). */
import { describe, expect, it } from 'vitest';
import { describe as show, parseLiteral, toLiteral, typeName } from '../../src/devtools/value-format.ts';

describe('value format', () => {
  it('shows structured values readably', () => {
    expect(show(new Map<unknown, unknown>([['a', 1], [2, new Date(0)]]))).toBe('Map(2) { "a" => 1, 2 => Date(1970-01-01T00:00:00.000Z) }');
    expect(show(new Set([1n]))).toBe('Set(1) { 1n }');
    expect(show({ x: [1, 'two'], 'a b': null })).toBe('{ x: [1, "two"], "a b": null }');
    expect(show(new Uint8Array([1, 2]))).toBe('Uint8Array(2) [1, 2]');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(show(cycle)).toBe('{ self: [Circular] }');
    expect(typeName(new Map())).toBe('Map');
    expect(typeName(null)).toBe('null');
  });

  it('turns a value into source that evaluates back to an equal value of the same types', () => {
    const value = new Map<unknown, unknown>([['when', new Date('2026-12-01T10:00:00Z')], ['set', new Set([1, 2])], ['big', 10n], ['re', /a+/gi], ['bytes', new Uint8Array([7])], ['neg', -0]]);
    const back = parseLiteral(toLiteral(value)) as Map<string, unknown>;
    expect(back).toBeInstanceOf(Map);
    expect(back).toEqual(value);
    expect(Object.is(back.get('neg'), -0)).toBe(true);
  });
});
