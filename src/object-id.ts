/**
 * Durable Object ids, derived exactly as workerd derives them
 * (`src/workerd/server/actor-id-impl.c++`), so the same name gives the same id
 * in Hearth and under `wrangler dev`:
 *
 *   key          = SHA-256(uniqueKey)
 *   idFromName   = HMAC(key, name)[0..16] ‖ HMAC(key, that)[0..16]
 *   newUniqueId  = 16 random bytes      ‖ HMAC(key, those)[0..16]
 *
 * `idFromName` and friends are synchronous on Cloudflare, and WebCrypto is
 * not, hence the audited synchronous `@noble/hashes`.
 *
 * Jurisdictions (which workerd does not implement) use their own key,
 * SHA-256(uniqueKey ‖ "\0" ‖ jurisdiction): the same name gives a different id
 * per jurisdiction, and the jurisdiction is recovered from an id by finding the
 * key whose MAC it carries.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { UNSERIALIZABLE } from './brands.ts';

export const JURISDICTIONS = ['eu', 'fedramp', 'fedramp-high', 'us'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** Cloudflare keeps `ctx.id.name` inside the object only for names up to this many UTF-8 bytes. */
export const MAX_NAME_BYTES_KEPT = 1024;

const brand = Symbol('hearth.DurableObjectId');

export class DurableObjectId {
  readonly #hex: string;
  /**
   * Own properties, as in workerd: `jurisdiction` then `name`, both present
   * (undefined when unset) and read-only. There is no `toJSON`, so
   * `JSON.stringify(id)` is `{"name":"A"}` for a named id and `{}` otherwise,
   * as workerd gives.
   */
  declare readonly jurisdiction?: string;
  declare readonly name?: string;
  /** @internal */
  readonly [brand] = true;

  constructor(hex: string, name?: string, jurisdiction?: string) {
    this.#hex = hex;
    const own = { enumerable: true, configurable: true, writable: false };
    Object.defineProperty(this, 'jurisdiction', { ...own, value: jurisdiction });
    Object.defineProperty(this, 'name', { ...own, value: name });
  }

  toString(): string {
    return this.#hex;
  }

  equals(other: DurableObjectId): boolean {
    return other instanceof DurableObjectId && other.#hex === this.#hex;
  }

  /** Storage and RPC refuse ids, as workerd does (see structured-serializer.ts). */
  get [UNSERIALIZABLE](): string {
    return 'DurableObjectId';
  }
}

export function isDurableObjectId(value: unknown): value is DurableObjectId {
  return value instanceof DurableObjectId;
}

function mac16(key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(sha256, key, data).subarray(0, 16);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

const HEX_64 = /^[0-9a-fA-F]{64}$/;

/** Mints and checks the ids of one namespace (one `uniqueKey`). */
export class IdFactory {
  readonly #keys = new Map<Jurisdiction | undefined, Uint8Array>();

  constructor(readonly uniqueKey: string) {
    this.#keys.set(undefined, sha256(utf8ToBytes(uniqueKey)));
    for (const j of JURISDICTIONS) this.#keys.set(j, sha256(utf8ToBytes(`${uniqueKey}\0${j}`)));
  }

  #key(jurisdiction: Jurisdiction | undefined): Uint8Array {
    return this.#keys.get(jurisdiction)!;
  }

  fromName(name: string, jurisdiction?: Jurisdiction): DurableObjectId {
    const key = this.#key(jurisdiction);
    const first = mac16(key, utf8ToBytes(name));
    const id = new Uint8Array(32);
    id.set(first, 0);
    id.set(mac16(key, first), 16);
    return new DurableObjectId(bytesToHex(id), name, jurisdiction);
  }

  unique(jurisdiction?: Jurisdiction): DurableObjectId {
    const key = this.#key(jurisdiction);
    const id = new Uint8Array(32);
    crypto.getRandomValues(id.subarray(0, 16));
    id.set(mac16(key, id.subarray(0, 16)), 16);
    return new DurableObjectId(bytesToHex(id), undefined, jurisdiction);
  }

  fromString(hex: string): DurableObjectId {
    if (typeof hex !== 'string' || !HEX_64.test(hex)) {
      throw new TypeError('Invalid Durable Object ID: must be 64 hex digits');
    }
    const bytes = hexToBytes(hex.toLowerCase());
    const first = bytes.subarray(0, 16);
    const mac = bytes.subarray(16);
    for (const [jurisdiction, key] of this.#keys) {
      if (sameBytes(mac16(key, first), mac)) {
        return new DurableObjectId(hex.toLowerCase(), undefined, jurisdiction);
      }
    }
    throw new TypeError('Durable Object ID is not valid for this namespace.');
  }
}

export function isJurisdiction(value: unknown): value is Jurisdiction {
  return (JURISDICTIONS as readonly unknown[]).includes(value);
}
