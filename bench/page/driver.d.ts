/** Types of driver.js, for the TypeScript that imports it (main.ts). */
export interface Samples {
  /** One entry per sample, in ms. */
  samples: number[];
  /** Operations each sample covers (1, or the batch size). */
  perSample: number;
  /** Wall time of the whole timed loop, in ms. */
  totalMs: number;
  /** What the objects answered, where the op checks it. */
  check?: unknown;
}

export type Op = 'rpcSeq' | 'rpcPar' | 'rpcNoop' | 'fetchWarm' | 'durable' | 'burst' | 'sqlBulk' | 'cold' | 'coldBackToBack' | 'touch' | 'verify' | 'alarmLateness';

export function sequential(now: () => number, n: number, warmup: number, call: (i: number) => Promise<unknown>): Promise<Samples>;

export function drive(op: Op, env: Record<string, any>, params: Record<string, unknown>, now: () => number): Promise<Samples>;
