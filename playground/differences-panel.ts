/** Where Hearth differs from Cloudflare on purpose, from docs/intended-differences.md (built in at build time). */
import markdown from '../docs/intended-differences.md?raw';
import { html } from '../src/devtools/html.ts';
import { inline, parseDifferences } from './differences.ts';

const differences = parseDifferences(markdown);

const Inline = ({ text }: { text: string }) =>
  html`${inline(text).map((p) => (p.code ? html`<code>${p.text}</code>` : p.bold ? html`<b>${p.text}</b>` : p.text))}`;

export function DifferencesPanel() {
  return html`<section class="panel differences" data-panel="differences">
    <p class="muted">Hearth runs your objects as Cloudflare would, and a differential test checks it against workerd field by field. These are the differences that are there on purpose (from <code>docs/intended-differences.md</code>):</p>
    <div class="table-scroll"><table class="grid">
      <thead><tr>${differences.headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
      <tbody>${differences.rows.map((row) => html`<tr data-testid="difference">${row.map((c) => html`<td><${Inline} text=${c} /></td>`)}</tr>`)}</tbody>
    </table></div>
    ${differences.notes.map((n) => html`<p><${Inline} text=${n} /></p>`)}
  </section>`;
}
