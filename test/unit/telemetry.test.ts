/** Exported logs and metrics (src/telemetry.ts): the metadata boundary, sampling, NDJSON and the metrics window. */
import { describe, expect, it } from 'vitest';
import { boundaryOf, exportable, logKept, MetricsWindow, toNdjson } from '../../src/telemetry.ts';

describe('metadata boundary', () => {
  it('maps jurisdictions to Customer Metadata Boundary regions', () => {
    expect([boundaryOf('eu'), boundaryOf('us'), boundaryOf('fedramp'), boundaryOf('fedramp-high'), boundaryOf(null)]).toEqual(['eu', 'us', 'us', 'us', undefined]);
  });

  it('keeps records of jurisdictional objects out of exports to another boundary, and nothing else', () => {
    expect(exportable('eu', 'eu')).toBe(true);
    expect(exportable('eu', 'us')).toBe(false);
    expect(exportable('fedramp', 'eu')).toBe(false);
    expect(exportable('fedramp', 'us')).toBe(true);
    expect(exportable(null, 'eu')).toBe(true);
    expect(exportable('eu', 'global')).toBe(true);
    expect(exportable('eu', undefined)).toBe(true);
  });
});

describe('observability', () => {
  it('keeps every log without settings, none when disabled, and samples by head_sampling_rate', () => {
    expect(logKept(undefined)).toBe(true);
    expect(logKept({ enabled: false, headSamplingRate: 1 })).toBe(false);
    expect(logKept({ enabled: true, headSamplingRate: 0.25 }, () => 0.2)).toBe(true);
    expect(logKept({ enabled: true, headSamplingRate: 0.25 }, () => 0.3)).toBe(false);
    expect(logKept({ enabled: true, headSamplingRate: 0 }, () => 0)).toBe(false);
  });
});

describe('metrics window', () => {
  it('counts requests, errors, storage, commits, alarm runs, socket messages and wall time per object', () => {
    const w = new MetricsWindow(1000);
    w.add('a', { kind: 'arrived', event: 1, label: 'rpc x', at: 1000 });
    w.add('a', { kind: 'storage-read', op: 'get', at: 1001 });
    w.add('a', { kind: 'storage-write', op: 'put', at: 1002 });
    w.add('a', { kind: 'commit-finished', ok: true, at: 1003 });
    w.add('a', { kind: 'reply-sent', event: 1, ok: true, at: 1010 });
    w.add('a', { kind: 'arrived', event: 2, label: 'alarm retry 1', at: 1020 });
    w.add('a', { kind: 'reply-sent', event: 2, ok: false, at: 1050 });
    w.socketMessage('b');
    const { at, intervalMs, counts } = w.flush(2000);
    expect([at, intervalMs]).toEqual([1000, 1000]);
    expect(counts.get('a')).toEqual({ requests: 2, errors: 1, storageReads: 1, storageWrites: 1, commits: 1, wallMs: 40, alarmRuns: 1, socketMessages: 0 });
    expect(counts.get('b')?.socketMessages).toBe(1);
    expect(w.flush(3000).counts.size).toBe(0);
  });

  it('writes one JSON record per line', () => {
    expect(toNdjson([{ a: 1 }, { b: 'x' }])).toBe('{"a":1}\n{"b":"x"}\n');
  });
});
