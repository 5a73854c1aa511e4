/**
 * The code editor: CodeMirror 6, one editor state per file (each keeps its
 * own undo history), shown one at a time under the file tabs. TypeScript's
 * language service (ts/, in a worker) gives the `.ts`/`.js` files their
 * inline errors, completion and hover; `wrangler.jsonc` is checked as JSONC.
 * Ctrl/Cmd+Enter deploys.
 */
import { EditorState, Prec, type Extension } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, hoverTooltip,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionSource } from '@codemirror/autocomplete';
import { linter, lintGutter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { oneDark } from '@codemirror/theme-one-dark';
import { CONFIG_FILE, parseConfig, type Project } from './project.ts';
import type { TsClient } from './ts/ts-client.ts';

/** TypeScript's element kinds → CodeMirror's completion icons. */
const KIND: Record<string, string> = {
  method: 'method', function: 'function', 'local function': 'function', property: 'property', getter: 'property',
  setter: 'property', class: 'class', interface: 'interface', type: 'type', enum: 'enum', keyword: 'keyword',
  var: 'variable', let: 'variable', const: 'constant', 'local var': 'variable', parameter: 'variable', module: 'namespace',
};

export interface EditorOptions {
  parent: HTMLElement;
  ts: TsClient;
  onDeploy(): void;
  /** Called after every edit and after each check, with the current project and the active file's problems. */
  onChange(project: Project): void;
  onProblems(file: string, problems: Diagnostic[]): void;
}

export class Editor {
  readonly view: EditorView;
  readonly #options: EditorOptions;
  #states = new Map<string, EditorState>();
  #order: string[] = [];
  #active = '';

  constructor(options: EditorOptions) {
    this.#options = options;
    this.view = new EditorView({
      parent: options.parent,
      dispatch: (tr, view) => {
        view.update([tr]);
        if (tr.docChanged) {
          this.#states.set(this.#active, view.state);
          options.onChange(this.project());
        }
      },
    });
  }

  get active(): string {
    return this.#active;
  }

  get files(): readonly string[] {
    return this.#order;
  }

  /** Replace every file (a lesson, a shared link, a reset) and show the classes (the first module besides the Worker's entry). */
  load(project: Project): void {
    this.#states = new Map(project.files.map((f) => [f.name, this.#createState(f.name, f.text)]));
    this.#order = project.files.map((f) => f.name);
    const modules = this.#order.filter((n) => n !== CONFIG_FILE);
    this.show(modules.find((n) => n !== 'worker.ts') ?? modules[0] ?? this.#order[0]!);
    this.#options.onChange(this.project());
  }

  show(name: string): void {
    const state = this.#states.get(name);
    if (!state) return;
    if (this.#active && this.view.state) this.#states.set(this.#active, this.view.state);
    this.#active = name;
    this.view.setState(state);
  }

  text(name: string): string | undefined {
    return name === this.#active ? this.view.state.doc.toString() : this.#states.get(name)?.doc.toString();
  }

  /** Replace one file's text as an edit (undoable), opening it. */
  setText(name: string, text: string): void {
    if (!this.#states.has(name)) {
      this.#states.set(name, this.#createState(name, ''));
      this.#order.push(name);
    }
    this.show(name);
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  addFile(name: string, text: string): void {
    this.setText(name, text);
  }

  removeFile(name: string): void {
    if (name === CONFIG_FILE || !this.#states.has(name)) return;
    this.#states.delete(name);
    this.#order = this.#order.filter((n) => n !== name);
    if (this.#active === name) {
      this.#active = '';
      this.show(this.#order[0]!);
    }
    this.#options.onChange(this.project());
  }

  project(): Project {
    return { files: this.#order.map((name) => ({ name, text: this.text(name) ?? '' })) };
  }

  #createState(name: string, text: string): EditorState {
    return EditorState.create({ doc: text, extensions: this.#extensions(name) });
  }

  #extensions(name: string): Extension[] {
    const common: Extension[] = [
      lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), history(), drawSelection(), indentOnInput(),
      bracketMatching(), closeBrackets(), oneDark, lintGutter(), EditorView.lineWrapping,
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (this.#options.onDeploy(), true) }])),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
    ];
    if (name === CONFIG_FILE) return [...common, json(), linter((view) => this.#checkConfig(view))];
    const ts = this.#options.ts;
    const source: CompletionSource = async (context) => {
      const word = context.matchBefore(/[\w$]*/);
      const before = context.state.sliceDoc(Math.max(0, context.pos - 1), context.pos);
      if (!context.explicit && !word?.text && before !== '.') return null;
      await ts.ask({ type: 'update', files: this.#fileTexts() });
      const result = await ts.ask({ type: 'completions', file: name, pos: context.pos });
      if (!result) return null;
      return {
        from: result.from,
        options: result.entries.map((e) => ({ label: e.label, type: KIND[e.kind] ?? 'text', boost: e.sortText < '12' ? 1 : 0 })),
        validFor: /^[\w$]*$/,
      };
    };
    return [
      ...common,
      javascript({ typescript: name.endsWith('.ts') }),
      autocompletion({ override: [source] }),
      linter(
        async (view) => {
          await ts.ask({ type: 'update', files: this.#fileTexts() });
          const found = await ts.ask({ type: 'diagnostics', file: name });
          const length = view.state.doc.length;
          const problems: Diagnostic[] = found.map((d) => ({
            from: Math.min(d.from, length),
            to: Math.min(Math.max(d.to, d.from), length),
            severity: d.severity,
            message: d.message,
          }));
          this.#options.onProblems(name, problems);
          return problems;
        },
        { delay: 300 },
      ),
      hoverTooltip(async (_view, pos) => {
        await ts.ask({ type: 'update', files: this.#fileTexts() });
        const info = await ts.ask({ type: 'hover', file: name, pos });
        if (!info) return null;
        return {
          pos: info.from,
          end: info.to,
          above: true,
          create: () => {
            const dom = document.createElement('div');
            dom.className = 'ts-hover';
            const signature = dom.appendChild(document.createElement('pre'));
            signature.textContent = info.signature;
            if (info.documentation) dom.appendChild(document.createElement('p')).textContent = info.documentation;
            return { dom };
          },
        };
      }),
    ];
  }

  #checkConfig(view: EditorView): Diagnostic[] {
    const parsed = parseConfig(view.state.doc.toString());
    const problems: Diagnostic[] =
      'error' in parsed
        ? [{ from: parsed.offset, to: parsed.offset + Math.max(parsed.length, 0), severity: 'error', message: parsed.error }]
        : [];
    this.#options.onProblems(CONFIG_FILE, problems);
    return problems;
  }

  #fileTexts(): Record<string, string> {
    return Object.fromEntries(this.#order.filter((n) => n !== CONFIG_FILE).map((n) => [n, this.text(n) ?? '']));
  }
}
