/**
 * Compile-time checks of the public types, run by `npm run typecheck` (tsc).
 * A line marked @ts-expect-error fails the build if it ever compiles.
 */
import { DurableObject } from 'cloudflare:workers';
import type { DurableObjectStub } from '../../src/caller/stub.ts';

class Calculator extends DurableObject {
  add(n: number): number {
    return n;
  }
  async label(prefix: string): Promise<string> {
    return prefix;
  }
  get current(): number {
    return 0;
  }
}

declare const stub: DurableObjectStub<Calculator>;

// Methods become async, whatever they return.
export const added: Promise<number> = stub.add(1);
export const labelled: Promise<string> = stub.label('x');
// Getters become promises of their value.
export const current: Promise<number> = stub.current;
// The stub's own members keep their types.
export const fetched: Promise<Response> = stub.fetch('https://x/');
export const idString: string = stub.id.toString();

// @ts-expect-error wrong argument type
stub.add('one');
// @ts-expect-error no such method
stub.subtract(1);
// @ts-expect-error ctx is protected, not RPC
stub.ctx;

// An untyped stub accepts any RPC name.
declare const loose: DurableObjectStub;
export const anything: unknown = loose.whatever(1, 2);
