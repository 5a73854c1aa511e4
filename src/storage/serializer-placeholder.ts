// TEMPORARY: lets the pipeline run before structured-serializer.ts lands.
const enc = new TextEncoder(); const dec = new TextDecoder();
export function serialize(v: unknown): Uint8Array { if (typeof v === 'function') throw new DOMException(`${String(v)} could not be cloned.`, 'DataCloneError'); return enc.encode(JSON.stringify(v)); }
export function deserialize(b: Uint8Array): unknown { return JSON.parse(dec.decode(b)); }
