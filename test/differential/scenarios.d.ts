/** Types of scenarios.js, for the TypeScript that imports it (main.ts, the spec). */

/** How one scenario ended, as JSON: `describe()` of its result, or of what it threw. */
export type ScenarioResult = { ok: boolean; value?: unknown; error?: unknown; transport?: boolean; promise?: boolean };

export interface Scenario {
  id: string;
  /** `object`: runs inside a Runner; `caller`: runs where app code calls objects from. */
  where: 'object' | 'caller';
  /** An optional part of the storage API the scenario needs. */
  requires?: 'sql' | 'transaction' | 'syncKv';
  /** Timing-sensitive: run with no other scenario in flight. */
  exclusive: boolean;
  /** Waits for alarms to run (seconds): started at once, beside the others, with its own budget. */
  slow?: boolean;
}

export const SCENARIOS: Scenario[];

export function runScenario(
  id: string,
  host: { env: Record<string, any>; RpcTarget: abstract new () => object; prefix?: string },
): Promise<ScenarioResult>;
