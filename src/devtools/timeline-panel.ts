/**
 * Timeline of one object: each event a bar, in the colours of its phases —
 * waiting at the input gate, running, output held until the commit — with
 * storage calls and commits as ticks, and instance ends (evicted, reset) as
 * lines. Live (it follows the store); zoom with the slider; click a bar for
 * its records in order.
 *
 * "Restore to before this event": point-in-time recovery to the last commit
 * at or before the moment the chosen event was delivered, through the
 * object's own gates (a `restore` devtools event: `getBookmarkForTime`,
 * `onNextSessionRestoreBookmark`, then a reset, as the object's code would
 * do it), after a confirmation; the bookmark it returns is kept for Undo.
 */
import { useContext, useState } from 'preact/hooks';
import type { DevtoolsAnswer, ObjectAddress } from '../protocol.ts';
import { DevtoolsContext } from './devtools-context.ts';
import { html } from './html.ts';
import { buildTimeline, type Bar } from './timeline-model.ts';
import { useStore } from './use-store.ts';
import { time } from './format.ts';

const LABEL_WIDTH = 180;

type Restored = Extract<DevtoolsAnswer, { op: 'restored' }>;

export function TimelinePanel(props: {
  objectKey: string | undefined;
  label: string;
  /** The object's address, for the restore action (absent: no action offered). */
  address?: ObjectAddress | undefined;
  /** The width the panel has, in px (default: the window's). The playground embeds it in a narrower column. */
  width?: number;
}) {
  const store = useStore();
  /** 1 fits every shown event in the panel's width; more zooms in (scroll sideways). */
  const [zoom, setZoom] = useState(1);
  const [chosen, choose] = useState<string | undefined>();
  const { objects } = useContext(DevtoolsContext);
  /** The last restore of this object, with its undo bookmark; or what went wrong. */
  const [restore, setRestore] = useState<{ key: string; what: string; undo?: string; error?: string } | undefined>();
  if (!props.objectKey) return html`<section class="panel"><p class="muted">Choose an object in the Objects panel.</p></section>`;
  const timeline = buildTimeline(store.gates.get(props.objectKey) ?? []);
  const bars = timeline.bars.slice(-200);
  const start = bars.length ? bars[0]!.arrived : timeline.start;
  const end = (b: Bar) => b.replied ?? b.released ?? b.held ?? b.delivered ?? b.arrived;
  const span = Math.max(1, ...bars.map((b) => end(b) - start));
  const fit = (Math.max(props.width === undefined ? 600 : 300, props.width ?? window.innerWidth - 60) - LABEL_WIDTH - 40) / span;
  const pxPerMs = fit * zoom;
  const x = (at: number) => LABEL_WIDTH + (at - start) * pxPerMs;
  const width = Math.max(props.width === undefined ? 600 : 300, ...bars.map((b) => x(end(b)) + 40));
  const selected = bars.find((b) => b.id === chosen);
  const address = props.address;
  const objectKey = props.objectKey;

  async function restoreBefore(bar: Bar) {
    if (!address) return;
    const what = `#${bar.event} ${bar.label}`;
    if (!confirm(`Restore ${props.label} to its state just before ${what}? The object restarts on that state; you can undo it.`)) return;
    try {
      const answer = (await objects.ask(address, { op: 'restore', time: bar.delivered ?? bar.arrived })) as Restored;
      setRestore({ key: objectKey, what: `Restored to before ${what} (bookmark ${answer.bookmark}).`, undo: answer.undo });
    } catch (error) {
      setRestore({ key: objectKey, what: '', error: `Restore failed: ${(error as Error).message}` });
    }
  }

  async function undo(bookmark: string) {
    if (!address) return;
    try {
      await objects.ask(address, { op: 'restore', bookmark });
      setRestore({ key: objectKey, what: 'Undone: the object is back to its state before the restore.' });
    } catch (error) {
      setRestore({ key: objectKey, what: '', error: `Undo failed: ${(error as Error).message}` });
    }
  }
  const shownRestore = restore?.key === objectKey ? restore : undefined;

  return html`<section class="panel" data-panel="timeline">
    <div class="toolbar">
      <strong>${props.label}</strong>
      <label>zoom <input type="range" min="0" max="8" step="0.1" value=${Math.log2(zoom)}
        onInput=${(e: Event) => setZoom(2 ** Number((e.target as HTMLInputElement).value))} /> ×${zoom.toFixed(1)}</label>
      <span class="muted">${span.toFixed(1)} ms shown</span>
      <span class="legend"><i class="ph-wait"></i>waiting at the input gate <i class="ph-run"></i>running
        <i class="ph-held"></i>output held (commit) <i class="tick-w"></i>write <i class="tick-r"></i>read <i class="tick-c"></i>commit</span>
    </div>
    ${shownRestore && html`<div class="notice" data-testid="restore-notice">
      ${shownRestore.error ? html`<span class="error">${shownRestore.error}</span>` : shownRestore.what}
      ${shownRestore.undo && html` <button data-testid="restore-undo" title="Restore the state from just before the restore"
        onClick=${() => void undo(shownRestore.undo!)}>Undo</button>`}
    </div>`}
    ${bars.length === 0 && html`<p class="muted">No events yet: call the object from the app.</p>`}
    <div class="scroller"><div class="timeline" style=${`width:${width}px`}>
      ${bars.map((b) => {
        const delivered = b.delivered ?? end(b);
        const runEnd = b.held ?? b.replied ?? delivered;
        return html`<div class=${`row${b.id === chosen ? ' chosen' : ''}`} key=${b.id} data-testid="timeline-bar"
            data-label=${b.label} data-sequence=${b.sequence.join(' ')} onClick=${() => choose(b.id)}>
          <span class="label" title=${b.label}>#${b.event} ${b.label}</span>
          <span class=${`seg ph-wait${b.inputWait ? ' gated' : ''}`} style=${`left:${x(b.arrived)}px;width:${Math.max(1, (delivered - b.arrived) * pxPerMs)}px`}></span>
          <span class="seg ph-run" style=${`left:${x(delivered)}px;width:${Math.max(2, (runEnd - delivered) * pxPerMs)}px`}></span>
          ${b.held !== undefined && html`<span class="seg ph-held" style=${`left:${x(b.held)}px;width:${Math.max(2, ((b.released ?? b.replied ?? b.held) - b.held) * pxPerMs)}px`}></span>`}
          ${b.marks.filter((m) => m.kind.startsWith('storage') || m.kind === 'commit-finished').map(
            (m) => html`<span class=${`tick ${m.kind === 'storage-write' ? 'tick-w' : m.kind === 'storage-read' ? 'tick-r' : 'tick-c'}`}
              style=${`left:${x(m.at)}px`} title=${`${m.kind} ${m.detail}`}></span>`,
          )}
          ${b.replied !== undefined && html`<span class=${`reply ${b.ok ? 'ok' : 'err'}`} style=${`left:${x(b.replied)}px`} title="reply sent"></span>`}
        </div>`;
      })}
      ${timeline.ends.filter((e) => e.at >= start).map((e) => html`<div class="end" style=${`left:${x(e.at)}px`} title=${e.label}><span>${e.label}</span></div>`)}
    </div></div>
    ${selected && html`<div class="details" data-testid="timeline-details">
      <h3>#${selected.event} ${selected.label}
        ${address && html` <button data-testid="restore-before" title="Point-in-time recovery to the last commit before this event was delivered, then a restart"
          onClick=${() => void restoreBefore(selected)}>Restore to before this event</button>`}</h3>
      <ol>
        <li>${time(selected.arrived)} arrived${selected.inputWait ? ' — waited at the input gate' : ''}</li>
        ${selected.delivered !== undefined && html`<li>${time(selected.delivered)} delivered (+${(selected.delivered - selected.arrived).toFixed(2)} ms)</li>`}
        ${selected.marks.map((m) => html`<li>${time(m.at)} ${m.kind} ${m.detail}</li>`)}
        ${selected.replied !== undefined && html`<li>${time(selected.replied)} reply sent ${selected.ok ? '' : '(error)'} — total ${(selected.replied - selected.arrived).toFixed(2)} ms</li>`}
      </ol>
    </div>`}
  </section>`;
}
