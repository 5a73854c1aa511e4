import { describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { IdFactory } from '../../src/object-id.ts';

describe('Durable Object ids', () => {
  it('idFromName matches the workerd test vector', () => {
    const ids = new IdFactory('test-unique-key');
    expect(ids.fromName('foo').toString()).toBe('6a248adcdc1638376a64c74646a2ea589649c6cb40bb459a775f741671d6f99e');
  });

  it('idFromName is deterministic, keeps the name, and differs between namespaces', () => {
    const a = new IdFactory('app-Counter');
    const b = new IdFactory('app-Other');
    expect(a.fromName('x').toString()).toBe(a.fromName('x').toString());
    expect(a.fromName('x').name).toBe('x');
    expect(a.fromName('x').toString()).not.toBe(b.fromName('x').toString());
  });

  it('derives ids as HMAC(SHA-256(uniqueKey)) the way Node crypto computes it', () => {
    const uniqueKey = 'w-Room';
    // SHA-256 of the unique key is the HMAC key (workerd actor-id-impl.c++).
    const k = createHash('sha256').update(uniqueKey).digest();
    const first = createHmac('sha256', k).update('lobby').digest().subarray(0, 16);
    const mac = createHmac('sha256', k).update(first).digest().subarray(0, 16);
    expect(new IdFactory(uniqueKey).fromName('lobby').toString()).toBe(Buffer.concat([first, mac]).toString('hex'));
  });

  it('newUniqueId is random, has no name, and is accepted by idFromString', () => {
    const ids = new IdFactory('app-Counter');
    const u1 = ids.unique();
    const u2 = ids.unique();
    expect(u1.toString()).toMatch(/^[0-9a-f]{64}$/);
    expect(u1.equals(u2)).toBe(false);
    expect(u1.name).toBeUndefined();
    const back = ids.fromString(u1.toString());
    expect(back.equals(u1)).toBe(true);
    expect(back.name).toBeUndefined();
  });

  it('idFromString accepts upper case and returns the canonical lower-case form', () => {
    const ids = new IdFactory('app-Counter');
    const id = ids.fromName('n').toString();
    expect(ids.fromString(id.toUpperCase()).toString()).toBe(id);
  });

  it('idFromString rejects bad input with Cloudflare\'s messages', () => {
    const ids = new IdFactory('app-Counter');
    expect(() => ids.fromString('abc')).toThrowError(new TypeError('Invalid Durable Object ID: must be 64 hex digits'));
    expect(() => ids.fromString('z'.repeat(64))).toThrowError(new TypeError('Invalid Durable Object ID: must be 64 hex digits'));
    const foreign = new IdFactory('app-Other').fromName('n').toString();
    expect(() => ids.fromString(foreign)).toThrowError(new TypeError('Durable Object ID is not valid for this namespace.'));
  });

  it('jurisdictions change the id for the same name and are recovered from the id', () => {
    const ids = new IdFactory('app-Counter');
    const plain = ids.fromName('n');
    const eu = ids.fromName('n', 'eu');
    expect(eu.toString()).not.toBe(plain.toString());
    expect(ids.fromString(eu.toString()).jurisdiction).toBe('eu');
    expect(ids.fromString(plain.toString()).jurisdiction).toBeUndefined();
    expect(ids.fromString(ids.unique('fedramp').toString()).jurisdiction).toBe('fedramp');
  });
});
