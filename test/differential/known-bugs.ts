/**
 * Differences from workerd that are Hearth bugs: not deliberate, and workerd
 * (the local build of what production runs) behaves as described. They are
 * pinned here, value by value, so the differential test stays green while they
 * are open and notices any change: once a bug is fixed, its scenario fails with
 * "the runtimes now agree" and its entry must be removed.
 *
 * Each bug is written once (BUG) and attached to the scenarios that show it.
 * Deliberate differences do not belong here: see intended-differences.ts.
 */
import type { ExpectedDifference } from './compare.ts';

type Differs = ExpectedDifference['differs'];

/** None open: the last ones (Request/Response and stubs as RPC values, content-length of stub.fetch(request)) were fixed. */
export const BUG: Record<string, string> = {};

/** Attach `BUG[bug]` to the paths where a scenario shows it (for the next bug found). */
export function bugs(...parts: { bug: keyof typeof BUG; differs: Differs }[]): ExpectedDifference {
  return { reason: parts.map((p) => BUG[p.bug]).join(' | '), differs: Object.assign({}, ...parts.map((p) => p.differs)) };
}

export const KNOWN_BUGS: Record<string, ExpectedDifference> = {};
