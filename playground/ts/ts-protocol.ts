/**
 * The messages between the playground page and its TypeScript worker
 * (typescript.worker.ts). Positions are offsets into a file's text, as
 * CodeMirror counts them. Every request gets exactly one answer with its `id`.
 */

export interface Diagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export interface CompletionEntry {
  label: string;
  /** TypeScript's element kind (`method`, `property`, `keyword`, …), mapped to CodeMirror's icons by the page. */
  kind: string;
  sortText: string;
}

export type TsRequest =
  /** The project's files as they are now (all of them, by name); later requests see these texts. */
  | { type: 'update'; files: Record<string, string> }
  | { type: 'diagnostics'; file: string }
  | { type: 'completions'; file: string; pos: number }
  | { type: 'hover'; file: string; pos: number }
  /** JavaScript for each `.ts` file (types stripped); `.js` files pass through. A syntax error fails it with a `SyntaxError` naming the file, line and column. */
  | { type: 'transpile'; files: Record<string, string> };

export interface TsAnswers {
  update: true;
  diagnostics: Diagnostic[];
  completions: { from: number; entries: CompletionEntry[] } | null;
  hover: { from: number; to: number; signature: string; documentation: string } | null;
  transpile: Record<string, string>;
}

export type TsMessage = { id: number; request: TsRequest };
/** Errors cross as data (name and message) and are rebuilt on the page. */
export type TsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };
