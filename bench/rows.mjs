/**
 * What the bench reports: its rows, in table order, and the targets.
 *
 * `ratio` is always Hearth ops/s ÷ miniflare ops/s (above 1: Hearth does more
 * per second), computed from the medians over repetitions. Rows without a
 * peer (`peer: false`) are Hearth-only parts or floors.
 */

/** How many of each, per repetition. Change here; the docs quote these. */
export const PLAN = {
  rpcSeq: { n: 1000, warmup: 100 },
  rpcPar: { n: 2000, warmup: 64, inFlight: 32 },
  rpcNoop: { n: 1000, warmup: 100 },
  fetchWarm: { n: 1000, warmup: 100 },
  edgeFetch: { n: 500, warmup: 50 },
  durable: { n: 1000, warmup: 20 },
  burst: { n: 10_000 },
  sqlBulk: { n: 100_000 },
  cold: { n: 20, gapMs: 250 },
  coldBackToBack: { n: 20, gapMs: 0 },
  coldNoSpare: { n: 20, gapMs: 250 },
  spawn: { n: 10 },
  floor: { n: 1000, warmup: 100, batch: 20 },
  wsRtt: { n: 1000, warmup: 100 },
  wsFanout: { n: 50, warmup: 5, sockets: 100 },
  /** Each sample waits for the room to hibernate (1 s idle timeout in a page of its own). */
  wsWake: { n: 5 },
  sqliteFloor: { inserts: 100_000, commits: 2000 },
  swFloor: { n: 500, warmup: 50 },
  /** Hearth's stub.fetch from the page vs the page's fetch() to miniflare's HTTP server. */
  pageHttp: { n: 500, warmup: 50 },
  alarmLateness: { n: 20, delayMs: 500, spacingMs: 25 },
  /** Once per profile, first: `objects` live objects (fewer than the bound of 64), and `parts` of each kind of worker part. */
  memory: { objects: 48, parts: 8 },
  /** Once per run, not per repetition: it is slow (a cold start per object). */
  objects: { n: 1000, chunk: 100 },
};

export const ROWS = [
  { key: 'rpcSeq', label: 'warm RPC increment (get+put), sequential', unit: 'calls/s', target: { ratio: 1.5, perSec: 5000 } },
  { key: 'rpcPar', label: 'warm RPC increment, 32 in flight', unit: 'calls/s' },
  { key: 'rpcNoop', label: 'warm RPC, no storage (Noop.ping)', unit: 'calls/s', target: { floorShare: 0.7, floor: 'floor' } },
  { key: 'fetchWarm', label: 'warm stub.fetch increment (get+put)', unit: 'req/s' },
  { key: 'pageHttp', label: 'page → object: stub.fetch vs page fetch() → miniflare HTTP', unit: 'req/s', target: { ratio: 5 } },
  { key: 'edgeFetch', label: 'edge fetch: page fetch → edge → Worker → object', unit: 'req/s', target: { floorShare: 1 / 1.3, floor: 'swFloor' } },
  { key: 'cold', label: 'first request to a new object (250 ms apart)', unit: 'objects/s', target: { p50Ms: 20 } },
  { key: 'coldBackToBack', label: 'first request to a new object, back to back', unit: 'objects/s' },
  { key: 'coldNoSpare', label: '  same, 250 ms apart, no spare worker', unit: 'objects/s', peer: false },
  { key: 'spawn', label: '  part: worker spawn + module load', unit: 'workers/s', peer: false },
  { key: 'burst', label: '10,000 un-awaited puts, then awaited', unit: 'puts/s' },
  { key: 'durable', label: 'sequential calls each awaiting one put', unit: 'writes/s', target: { perSec: 5000 } },
  { key: 'durableFull', label: '  same, hearth.durability "full" (synchronous=FULL)', unit: 'writes/s', peer: false },
  { key: 'sqlBulk', label: '100,000 SQL inserts in transactionSync', unit: 'rows/s', target: { perSec: 150_000 } },
  { key: 'wsRtt', label: 'WebSocket message round trip page ↔ object', unit: 'RTT/s' },
  { key: 'wsFanout', label: 'one WebSocket message fanned out to 100 sockets', unit: 'fan-outs/s' },
  { key: 'wsWake', label: 'wake of a hibernated object by a message', unit: 'wakes/s', peer: false },
  // A latency row: p50/p99 are the samples (ms late); there is no rate, so no ratio.
  { key: 'alarmLateness', label: 'alarm lateness: handler start − scheduled time', unit: 'alarms', lateness: true },
  { key: 'floor', label: 'floor: postMessage RTT page ↔ worker', unit: 'RTT/s', peer: false, floor: true },
  { key: 'swFloor', label: 'floor: page fetch() answered by a bare service worker', unit: 'req/s', peer: false, floor: true },
  { key: 'sqliteInsert', label: 'floor: raw sqlite-wasm sahpool inserts (1 txn)', unit: 'rows/s', peer: false, floor: true },
  { key: 'sqliteCommit', label: 'floor: raw sqlite-wasm sahpool autocommits', unit: 'commits/s', peer: false, floor: true },
];

/** Which Hearth rows each floor bounds: the chart shows Hearth as a share of it. */
export const FLOOR_PAIRS = [
  { row: 'rpcNoop', floor: 'floor', label: 'RPC (no storage) vs postMessage RTT' },
  { row: 'edgeFetch', floor: 'swFloor', label: 'edge fetch vs bare service-worker fetch' },
  { row: 'wsRtt', floor: 'floor', label: 'WebSocket round trip vs postMessage RTT' },
  { row: 'durable', floor: 'sqliteCommit', label: 'durable writes vs raw commits' },
  { row: 'sqlBulk', floor: 'sqliteInsert', label: 'SQL bulk insert vs raw inserts' },
];

/** A row's target: `{ text, met }`, or undefined when the row has none. `results`: the same run's rows (for floor shares). */
export function checkTarget(row, hearth, ratio, results = {}) {
  const t = row.target;
  if (!t || !hearth) return undefined;
  const parts = [];
  if (t.ratio !== undefined) parts.push({ text: `≥ ${t.ratio}× miniflare`, met: ratio !== undefined && ratio >= t.ratio });
  if (t.p50Ms !== undefined) parts.push({ text: `p50 ≤ ${t.p50Ms} ms`, met: hearth.p50.median <= t.p50Ms });
  if (t.perSec !== undefined) parts.push({ text: `≥ ${t.perSec.toLocaleString('en')}/s`, met: hearth.perSec.median >= t.perSec });
  if (t.floorShare !== undefined) {
    const floor = results[t.floor];
    const share = floor ? hearth.perSec.median / floor.perSec.median : undefined;
    const text = t.floorShare < 1 && t.floor === 'swFloor' ? `≤ ${Math.round(100 / t.floorShare) / 100}× the bare SW fetch` : `≥ ${Math.round(t.floorShare * 100)} % of its floor`;
    parts.push({ text, met: share !== undefined && share >= t.floorShare });
  }
  if (parts.length === 0) return undefined;
  return { text: parts.map((p) => p.text).join(' and '), met: parts.every((p) => p.met) };
}

/** The 1,000-object row's target (issue 17): ≤ 20 s in all, at most 64 live at once, ≤ 6 MB per live object, nothing lost. */
export function checkObjectsTarget(objects) {
  if (!objects) return undefined;
  const met =
    objects.totalSec <= 20 && objects.peakLiveObjects <= 64 && objects.mbPerLiveObject !== null && objects.mbPerLiveObject <= 6 && objects.lost === 0;
  return { text: '≤ 20 s, ≤ 64 live, ≤ 6 MB each, none lost', met };
}

/** The memory row's target (issue 17): ≤ 6 MB per live object. */
export function checkMemoryTarget(memory) {
  if (!memory || memory.mbPerLiveObject === null) return undefined;
  return { text: '≤ 6 MB per live object', met: memory.mbPerLiveObject <= 6 };
}
