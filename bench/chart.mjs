/**
 * docs/bench.svg from a bench report: hand-written SVG, no dependency.
 *
 * Top: Hearth ÷ miniflare ops/s per row, on a log scale (1× is parity; a
 * tick marks each row's ratio target). Bottom: how close Hearth gets to its
 * floor (Hearth ops/s ÷ floor ops/s), on a linear 0–100 % scale.
 * One chart per Hearth profile; the first profile in the report is drawn.
 */
import { FLOOR_PAIRS, ROWS } from './rows.mjs';

const W = 760;
const LABEL_W = 300;
const BAR_H = 18;
const GAP = 8;
const PLOT_W = W - LABEL_W - 80;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (x, y, s, attrs = '') => `<text x="${x}" y="${y}" ${attrs}>${esc(s)}</text>`;

function ratioLabel(r) {
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

export function renderChart(report) {
  const profile = Object.keys(report.profiles)[0];
  const { results, ratios } = report.profiles[profile];
  const ratioRows = ROWS.filter((row) => ratios[row.key] !== undefined);
  const floorRows = FLOOR_PAIRS.filter((p) => results[p.row] && results[p.floor]);

  // Log scale from 1/100× to 100×.
  const MIN = -2;
  const MAX = 2;
  const xOf = (ratio) => LABEL_W + ((Math.min(MAX, Math.max(MIN, Math.log10(ratio))) - MIN) / (MAX - MIN)) * PLOT_W;
  const out = [];
  let y = 56;
  out.push(text(16, 24, `Hearth ÷ miniflare (workerd), ops/s — ${profile} Chromium profile, ${report.date.slice(0, 10)}, load ${report.loadAverage.before[0]}`, 'font-weight="bold"'));
  out.push(text(16, 42, 'log scale; right of the 1× line Hearth does more per second; a red tick marks the target', 'fill="#555"'));
  const top = y;
  for (const row of ratioRows) {
    const r = ratios[row.key];
    const x1 = xOf(1);
    const x = xOf(r);
    out.push(text(16, y + 13, row.label.trim()));
    out.push(`<rect x="${Math.min(x, x1)}" y="${y}" width="${Math.max(1, Math.abs(x - x1))}" height="${BAR_H}" fill="${r >= 1 ? '#2f7d4a' : '#c0572b'}"/>`);
    out.push(text(Math.max(x, x1) + 4, y + 13, ratioLabel(r)));
    if (row.target?.ratio) {
      const tx = xOf(row.target.ratio);
      out.push(`<line x1="${tx}" y1="${y - 2}" x2="${tx}" y2="${y + BAR_H + 2}" stroke="#d00" stroke-width="2"/>`);
    }
    y += BAR_H + GAP;
  }
  for (let e = MIN; e <= MAX; e++) {
    const x = xOf(10 ** e);
    out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${y}" stroke="${e === 0 ? '#000' : '#ccc'}" stroke-width="1"/>`);
    out.push(text(x, y + 14, `${10 ** e}×`, 'text-anchor="middle" fill="#555"'));
  }
  y += 44;

  out.push(text(16, y, 'Hearth as a share of its floor (same run): Hearth ops/s ÷ floor ops/s', 'font-weight="bold"'));
  y += 16;
  const pxOf = (share) => LABEL_W + Math.min(1, share) * PLOT_W;
  const floorTop = y;
  for (const pair of floorRows) {
    const share = results[pair.row].perSec.median / results[pair.floor].perSec.median;
    out.push(text(16, y + 13, pair.label));
    out.push(`<rect x="${LABEL_W}" y="${y}" width="${Math.max(1, pxOf(share) - LABEL_W)}" height="${BAR_H}" fill="#3a6ea5"/>`);
    out.push(text(pxOf(share) + 4, y + 13, `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`));
    y += BAR_H + GAP;
  }
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const x = pxOf(share);
    out.push(`<line x1="${x}" y1="${floorTop - 4}" x2="${x}" y2="${y}" stroke="#ccc" stroke-width="1"/>`);
    out.push(text(x, y + 14, `${share * 100} %`, 'text-anchor="middle" fill="#555"'));
  }
  y += 34;
  const commit = report.git ? `${report.git.commit.slice(0, 7)}${report.git.dirty ? '+dirty' : ''}` : 'unknown commit';
  out.push(text(16, y, `npm run bench — ${report.repetitions} repetitions, medians; ${report.cpus} CPUs; Chromium ${report.chromium}; ${commit}`, 'fill="#555"'));
  y += 12;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y}" viewBox="0 0 ${W} ${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${y}" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
