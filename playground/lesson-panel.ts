/**
 * A lesson beside the editor: what it teaches, the steps, what to watch, the
 * live check (ticked as the runtime does each thing), a reset back to the
 * starter code, and the Cloudflare docs it teaches.
 */
import { html } from '../src/devtools/html.ts';
import type { CheckResult, Lesson } from './lessons/lesson.ts';
import { LESSONS } from './lessons/index.ts';

export function LessonPanel(props: {
  lesson: Lesson | undefined;
  check: CheckResult | undefined;
  choose(id: string | undefined): void;
  reset(): void;
  openInNewTab(): void;
}) {
  const { lesson, check } = props;
  return html`<section class="panel lesson-panel" data-panel="lesson">
    <p>
      <select id="lesson" value=${lesson?.id ?? ''} onChange=${(e: Event) => props.choose((e.target as HTMLSelectElement).value || undefined)}>
        <option value="">Choose a lesson…</option>
        ${LESSONS.map((l) => html`<option value=${l.id}>${l.title}</option>`)}
      </select>
    </p>
    ${!lesson && html`<p class="muted">Six short lessons, each with code to run, something to try, and a check that ticks when the runtime really did it. Start with the first.</p>`}
    ${lesson && html`<div data-lesson=${lesson.id}>
      <h3>${lesson.title}</h3>
      <p>${lesson.summary}</p>
      <h4>Try</h4>
      <ol class="steps">${lesson.steps.map((s) => html`<li>${s}</li>`)}</ol>
      <h4>Watch</h4>
      <p>${lesson.watch}</p>
      <h4>Check</h4>
      <ul class="check" id="lesson-check" data-passed=${check?.passed ? 'true' : 'false'}>
        ${(check?.items ?? []).map((i) => html`<li class=${i.done ? 'done' : 'todo'}>${i.done ? '✔' : '○'} ${i.text}</li>`)}
      </ul>
      <p class=${check?.passed ? 'passed' : 'muted'} id="lesson-verdict">${check?.passed ? 'You saw it happen. ✔' : 'Not seen yet — follow the steps above.'}</p>
      <p class="lesson-actions">
        <button id="lesson-reset" onClick=${props.reset} title="back to the starter code, new object names, check cleared">Reset lesson</button>
        ${lesson.id === 'one-instance' && html`<button id="lesson-new-tab" onClick=${props.openInNewTab}>Open this lesson in a second tab</button>`}
      </p>
      <h4>Learn more</h4>
      <ul>${lesson.docs.map((d) => html`<li><a href=${d.url} target="_blank" rel="noopener">${d.label}</a></li>`)}</ul>
    </div>`}
  </section>`;
}
