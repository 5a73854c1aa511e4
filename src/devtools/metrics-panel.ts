/**
 * Metrics per object since this page opened, from the gate records: requests,
 * errors, storage reads and writes, commits, with a requests-per-second chart
 * (uPlot) of the last two minutes.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { html } from './html.ts';
import { useStore } from './use-store.ts';
import type { ObjectMetrics } from './event-store.ts';
import { download, metricsRecords, type Describe } from './telemetry-export.ts';

function Chart(props: { metrics: ObjectMetrics }) {
  const element = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const series = props.metrics.series;
  const data: uPlot.AlignedData = [
    series.map((s) => s.at / 1000),
    series.map((s) => s.requests),
    series.map((s) => s.errors),
    series.map((s) => s.writes),
  ];
  useEffect(() => {
    if (!element.current) return;
    plot.current = new uPlot(
      {
        width: 520,
        height: 140,
        legend: { show: true },
        series: [{}, { label: 'requests/s', stroke: '#4f8cc9' }, { label: 'errors/s', stroke: '#d9534f' }, { label: 'writes/s', stroke: '#e0a030' }],
      },
      data,
      element.current,
    );
    return () => plot.current?.destroy();
  }, []);
  useEffect(() => plot.current?.setData(data), [data]);
  return html`<div ref=${element}></div>`;
}

export function MetricsPanel(props: { nameOf(key: string): string; selected: string | undefined; describe?: Describe }) {
  const store = useStore();
  const keys = [...store.metrics.keys()];
  const chosen = props.selected && store.metrics.get(props.selected);
  return html`<section class="panel" data-panel="metrics">
    <div class="toolbar">
      <span class="muted">Since this page opened; ${store.metricsSamples.length} per-second records kept.</span>
      <button data-testid="export-metrics" title="Per-object, per-second records as NDJSON, tagged with jurisdiction; objects outside hearth.metadata_boundary left out"
        onClick=${() => download('hearth-metrics.ndjson', metricsRecords(store, props.describe ?? (() => undefined)))}>Export NDJSON</button>
    </div>
    <table class="grid">
      <thead><tr><th>Object</th><th>Requests</th><th>Errors</th><th>Storage reads</th><th>Storage writes</th><th>Commits</th></tr></thead>
      <tbody>${keys.map((k) => {
        const m = store.metrics.get(k)!;
        return html`<tr data-testid="metrics-row"><td>${props.nameOf(k)}</td><td>${m.requests}</td><td>${m.errors}</td><td>${m.storageReads}</td><td>${m.storageWrites}</td><td>${m.commits}</td></tr>`;
      })}</tbody>
    </table>
    ${chosen ? html`<h3>${props.nameOf(props.selected!)}</h3><${Chart} metrics=${chosen} />` : html`<p class="muted">Choose an object for its chart.</p>`}
  </section>`;
}
