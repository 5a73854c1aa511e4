/**
 * The devtools page's styles, as a module (not a .css file): the package
 * build (rolldown.config.ts) copies only JavaScript, and this keeps the page
 * whole when Hearth is installed from npm.
 */
export const STYLES = `
:root { --bg: #101418; --panel: #171c22; --line: #2a323c; --text: #d8dee6; --muted: #8893a0; --accent: #ff7a3d;
  --wait: #6b7a8f; --run: #4f8cc9; --held: #e0a030; font: 13px/1.4 system-ui, sans-serif; color-scheme: dark; }
body { margin: 0; background: var(--bg); color: var(--text); }
header { display: flex; gap: 16px; align-items: center; padding: 8px 12px; border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0; z-index: 2; }
.brand { font-weight: 600; color: var(--accent); }
nav button { background: none; border: none; color: var(--muted); padding: 6px 10px; cursor: pointer; font: inherit; border-bottom: 2px solid transparent; }
nav button.active { color: var(--text); border-bottom-color: var(--accent); }
main { padding: 12px; }
.toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 10px; flex-wrap: wrap; }
input, textarea, button { font: inherit; background: #0c1014; color: var(--text); border: 1px solid var(--line); border-radius: 4px; padding: 3px 8px; }
button, label.button { cursor: pointer; background: #222a33; }
label.button { border: 1px solid var(--line); border-radius: 4px; padding: 3px 8px; }
button:hover { border-color: var(--accent); }
input[type='search'] { width: 280px; }
.muted { color: var(--muted); }
.error { color: #ff6b6b; }
.message { color: var(--accent); }
.mono, code, pre { font-family: ui-monospace, Menlo, monospace; font-size: 12px; }
table.grid { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
.grid th, .grid td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
.grid th { color: var(--muted); font-weight: 500; }
.grid tr.selected { background: #24303c; }
.grid tbody tr:hover { background: #1c242c; cursor: default; }
.grid td.value { white-space: pre-wrap; word-break: break-all; }
.actions button { margin-right: 4px; font-size: 12px; }
.state { padding: 1px 6px; border-radius: 8px; background: #2a323c; }
.state-live { background: #1f5130; } .state-placing, .state-stopping { background: #5a4a1a; }
h3 { font-size: 13px; margin: 16px 0 6px; }
.editor, .console { display: flex; gap: 8px; align-items: flex-start; flex-wrap: wrap; margin-bottom: 8px; }
.editor textarea, .console textarea { width: 520px; font-family: ui-monospace, monospace; }
pre.schema { color: var(--muted); margin: 4px 0; }
.timeline { position: relative; }
.timeline .row { position: relative; height: 20px; border-bottom: 1px solid #1b2128; cursor: pointer; }
.timeline .row.chosen { background: #24303c; }
.timeline .label { position: absolute; left: 0; width: 170px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; color: var(--muted); }
.seg { position: absolute; top: 5px; height: 10px; border-radius: 2px; }
.ph-wait { background: var(--wait); } .ph-wait.gated { background: repeating-linear-gradient(45deg, var(--wait), var(--wait) 3px, #3b4656 3px, #3b4656 6px); }
.ph-run { background: var(--run); } .ph-held { background: var(--held); }
.tick { position: absolute; top: 2px; width: 2px; height: 16px; }
.tick-w { background: #ff5d8f; } .tick-r { background: #7ee0a0; } .tick-c { background: #fff; }
.reply { position: absolute; top: 3px; width: 0; height: 0; border-left: 7px solid #7ee0a0; border-top: 7px solid transparent; border-bottom: 7px solid transparent; }
.reply.err { border-left-color: #ff6b6b; }
.end { position: absolute; top: 0; bottom: 0; border-left: 1px dashed #ff6b6b; }
.end span { position: absolute; top: -14px; left: 2px; font-size: 11px; color: #ff6b6b; white-space: nowrap; }
.legend i { display: inline-block; width: 12px; height: 8px; margin: 0 4px 0 10px; border-radius: 2px; }
.details { margin-top: 12px; padding: 8px 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 4px; }
.logs { font-family: ui-monospace, monospace; font-size: 12px; }
.log { padding: 2px 0; border-bottom: 1px solid #1b2128; white-space: pre-wrap; }
.log .who { color: var(--accent); } .log .lvl { color: var(--muted); }
.log-warn .text { color: #e0c050; } .log-error .text { color: #ff6b6b; } .log-debug .text { color: var(--muted); }
.scroller { overflow-x: auto; padding-top: 14px; }
`;

export function installStyles(): void {
  const style = document.createElement('style');
  style.textContent = STYLES;
  document.head.appendChild(style);
}
