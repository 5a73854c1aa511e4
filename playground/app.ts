/**
 * The playground's panels beside the editor (Preact, like the devtools):
 * the lesson, the call panel, and the watch panels — Objects, Storage,
 * Timeline from the devtools, and the differences from Cloudflare. The
 * lesson's check is re-run whenever a call result or a gate record arrives.
 */
import { useEffect, useState } from 'preact/hooks';
import { html } from '../src/devtools/html.ts';
import { CallPanel, type CallForm } from './call-panel.ts';
import { LessonPanel } from './lesson-panel.ts';
import { WatchPanel, type WatchTab } from './watch-panels.ts';
import { DifferencesPanel } from './differences-panel.ts';
import type { Playground } from './playground.ts';

const WATCH_TABS = ['objects', 'storage', 'timeline', 'differences'] as const;
type Tab = (typeof WATCH_TABS)[number];

export function App({ playground }: { playground: Playground }) {
  const [, setVersion] = useState(0);
  useEffect(() => playground.subscribe(() => setVersion((v) => v + 1)), [playground]);
  const [tab, setTab] = useState<Tab>('timeline');
  const [selected, select] = useState<string | undefined>();
  // Follow the lesson's object on the timeline as soon as it exists, unless the learner chose another.
  const lessonKey = playground.keyOf(playground.form.binding, playground.form.name);
  useEffect(() => {
    if (lessonKey) select(lessonKey);
  }, [lessonKey]);

  return html`
    <div class="area-lesson">
      <${LessonPanel} lesson=${playground.lesson} check=${playground.check()} choose=${(id: string | undefined) => playground.openLesson(id)}
        reset=${() => playground.resetLesson()} openInNewTab=${() => playground.openInNewTab()} />
    </div>
    <div class="area-call">
      <${CallPanel} form=${playground.form} updateForm=${(patch: Partial<CallForm>) => playground.updateForm(patch)} currentForm=${() => playground.form} bindings=${playground.bindings()}
        caller=${playground.caller} log=${playground.log} alarms=${playground.alarms} />
    </div>
    <div class="area-watch">
      <nav class="tabs">${WATCH_TABS.map(
        (t) => html`<button class=${t === tab ? 'active' : ''} data-watch-tab=${t} onClick=${() => setTab(t)}>${t[0]!.toUpperCase() + t.slice(1)}</button>`,
      )}</nav>
      ${tab === 'differences'
        ? html`<${DifferencesPanel} />`
        : html`<${WatchPanel} tab=${tab as WatchTab} setTab=${(t: WatchTab) => setTab(t)} selected=${selected} select=${select} />`}
    </div>`;
}
