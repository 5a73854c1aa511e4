/**
 * The bench's statistics: per-repetition summaries of raw samples, and the
 * median with min–max spread over repetitions. Samples are in ms; a sample
 * may cover several operations (`perSample`).
 */

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
export const median = (values) => percentile([...values].sort((a, b) => a - b), 50);
export const round = (x, digits = 3) => Number(x.toFixed(digits));

/** One repetition's raw samples → its summary. Latencies are per sample; `perSec` is operations per second of the loop. */
export function summarizeRep({ samples, perSample, totalMs }) {
  const sorted = [...samples].sort((a, b) => a - b);
  const ops = samples.length * perSample;
  return {
    p50: round(percentile(sorted, 50), 4),
    p99: round(percentile(sorted, 99), 4),
    mean: round(totalMs / ops, 5),
    perSec: Math.round(ops / (Math.max(totalMs, 1e-6) / 1000)),
    ops,
  };
}

/** Repetition summaries → median of the repetition values, with min–max spread, per statistic. */
export function aggregate(reps) {
  const out = { reps };
  for (const stat of ['p50', 'p99', 'mean', 'perSec']) {
    const values = reps.map((r) => r[stat]);
    out[stat] = { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  }
  return out;
}

export function fmt(x) {
  if (x === undefined || x === null || Number.isNaN(x)) return '–';
  if (Math.abs(x) >= 1000) return String(Math.round(x));
  if (Math.abs(x) >= 100) return x.toFixed(1);
  if (Math.abs(x) >= 10) return x.toFixed(2);
  return x.toFixed(3);
}
