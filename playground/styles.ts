/**
 * The playground's layout, on top of the devtools' dark styles (the embedded
 * panels bring those): three columns on a wide screen, two on a laptop, one
 * on a phone — lesson first, then the editor, the call panel and the panels.
 */
export const PLAYGROUND_STYLES = `
body { min-height: 100vh; }
header.top { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; }
header.top .spacer { flex: 1; }
header.top kbd { font-size: 10px; color: var(--muted); margin-left: 4px; }
.status { margin: 4px 12px; min-height: 1.2em; font-size: 12px; overflow-wrap: anywhere; }
.status.err { color: #ff6b6b; }
.layout { display: grid; gap: 12px; padding: 0 12px 12px; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); }
.side { display: grid; gap: 12px; grid-template-columns: minmax(0, 1fr); align-content: start; }
.side > div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 0; }
.area-editor { min-width: 0; }
#editor .cm-editor { height: 62vh; border: 1px solid var(--line); border-radius: 0 6px 6px 6px; font-size: 13px; }
.file-tabs { display: flex; flex-wrap: wrap; gap: 2px; }
.file-tabs button { border-radius: 6px 6px 0 0; border-bottom: none; color: var(--muted); }
.file-tabs button.active { color: var(--text); background: #282c34; border-color: var(--accent); }
.file-tabs .problem-count { color: #ff6b6b; margin-left: 4px; }
.problems { list-style: none; padding: 0; margin: 6px 0; font: 12px/1.4 ui-monospace, monospace; max-height: 9em; overflow: auto; }
.problems li { color: #ff8b8b; cursor: pointer; }
.problems li.warning, .problems li.info { color: var(--held); }
.share-link { overflow-wrap: anywhere; font-size: 11px; }
.ts-hover { max-width: 560px; padding: 4px 8px; }
.ts-hover pre { margin: 0; white-space: pre-wrap; font-size: 12px; }
.ts-hover p { margin: 4px 0 0; color: var(--muted); }
.panel { min-width: 0; }
.call-form p { margin: 6px 0; display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
#times { width: 4.5em; }
#log { font: 12px/1.4 ui-monospace, monospace; background: #0c1014; border: 1px solid var(--line); border-radius: 4px; padding: 6px; max-height: 14rem; overflow: auto; overflow-wrap: anywhere; }
#log .err { color: #ff6b6b; }
.lesson-panel h3 { margin: 8px 0 4px; color: var(--accent); }
.lesson-panel h4 { margin: 10px 0 2px; color: var(--muted); font-weight: 500; text-transform: uppercase; font-size: 11px; letter-spacing: .05em; }
.lesson-panel ol, .lesson-panel ul { margin: 4px 0; padding-left: 20px; }
.check { list-style: none; padding-left: 0 !important; }
.check li.done { color: #7bd88f; }
.passed { color: #7bd88f; font-weight: 600; }
nav.tabs { display: flex; flex-wrap: wrap; margin-bottom: 6px; }
nav.tabs button { background: none; border: none; color: var(--muted); padding: 6px 10px; border-bottom: 2px solid transparent; border-radius: 0; }
nav.tabs button.active { color: var(--text); border-bottom-color: var(--accent); }
.area-watch { max-height: 86vh; overflow: auto; }
.area-watch .panel { overflow-x: auto; }
.area-watch .timeline { max-width: none; }
.area-watch .scroller, .table-scroll { overflow-x: auto; }
.differences td { font-size: 12px; }
@media (min-width: 1400px) {
  .layout { grid-template-columns: minmax(0, 1.2fr) minmax(0, 1.6fr); }
  .side { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
  .side .area-lesson { grid-column: 1; grid-row: 1; }
  .side .area-call { grid-column: 1; grid-row: 2; }
  .side .area-watch { grid-column: 2; grid-row: 1 / span 2; }
}
@media (max-width: 820px) {
  .layout { grid-template-columns: minmax(0, 1fr); padding: 0 6px 6px; }
  .layout .side { display: contents; }
  .side .area-lesson { order: -1; }
  #editor .cm-editor { height: 50vh; }
  header.top .tagline { display: none; }
  input[type='search'] { width: 100%; }
}
`;
