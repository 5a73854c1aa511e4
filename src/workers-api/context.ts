/**
 * The context behind `import { env, waitUntil } from 'cloudflare:workers'`:
 * each context that runs app code (an object worker, the edge) provides its
 * `env` and its way to keep work alive here, before it runs that code.
 */
import { WORKERS_ENV, WORKERS_WAIT_UNTIL } from '../brands.ts';

type Slots = { [WORKERS_ENV]?: Record<string, unknown>; [WORKERS_WAIT_UNTIL]?: (promise: Promise<unknown>) => void };
const slots = globalThis as unknown as Slots;

export function provideWorkersEnv(env: Record<string, unknown>): void {
  slots[WORKERS_ENV] = env;
}

export function provideWaitUntil(waitUntil: (promise: Promise<unknown>) => void): void {
  slots[WORKERS_WAIT_UNTIL] = waitUntil;
}

export function currentWorkersEnv(): Record<string, unknown> | undefined {
  return slots[WORKERS_ENV];
}

export function currentWaitUntil(): ((promise: Promise<unknown>) => void) | undefined {
  return slots[WORKERS_WAIT_UNTIL];
}
