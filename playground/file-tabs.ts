/** The file tabs above the editor (with each file's error count) and the problems list below it. */
import type { Diagnostic } from '@codemirror/lint';
import { CONFIG_FILE } from './project.ts';
import type { Editor } from './editor.ts';

export class Problems {
  readonly #byFile = new Map<string, Diagnostic[]>();

  constructor(private readonly list: HTMLElement) {}

  count(file: string): number {
    return (this.#byFile.get(file) ?? []).filter((d) => d.severity === 'error').length;
  }

  set(file: string, found: Diagnostic[], editor: Editor): void {
    this.#byFile.set(file, found);
    // Which files have been checked at least once (tests wait for it before expecting no problems).
    this.list.dataset.checked = [...this.#byFile.keys()].sort().join(' ');
    this.render(editor);
  }

  /** The active file's problems, each with its line and column; a click puts the cursor there. */
  render(editor: Editor): void {
    const found = this.#byFile.get(editor.active) ?? [];
    const doc = editor.view.state.doc;
    this.list.replaceChildren(
      ...found.map((d) => {
        const line = doc.lineAt(Math.min(d.from, doc.length));
        const item = document.createElement('li');
        item.className = d.severity;
        item.textContent = `${editor.active}:${line.number}:${d.from - line.from + 1} ${d.message}`;
        item.onclick = () => {
          editor.view.dispatch({ selection: { anchor: d.from }, scrollIntoView: true });
          editor.view.focus();
        };
        return item;
      }),
    );
  }
}

export class FileTabs {
  onSelect: (name: string) => void = () => {};
  problems: Problems | undefined;

  constructor(private readonly bar: HTMLElement) {}

  render(editor: Editor): void {
    const tabs = editor.files.map((name) => {
      const button = document.createElement('button');
      button.textContent = name;
      button.dataset.file = name;
      button.className = name === editor.active ? 'active' : '';
      button.onclick = () => this.onSelect(name);
      if (name !== CONFIG_FILE && editor.files.length > 2) {
        const close = document.createElement('span');
        close.textContent = ' ×';
        close.title = `remove ${name}`;
        close.onclick = (e) => {
          e.stopPropagation();
          if (confirm(`Remove ${name}?`)) editor.removeFile(name);
        };
        button.append(close);
      }
      return button;
    });
    const add = document.createElement('button');
    add.textContent = '+';
    add.title = 'add a file';
    add.onclick = () => {
      const name = prompt('New file name (a .ts or .js module):', 'util.ts')?.trim();
      if (name && /^[\w.-]+\.(ts|js)$/.test(name) && !editor.files.includes(name)) editor.addFile(name, `// ${name}: import it from another module as './${name}'.\n`);
    };
    this.bar.replaceChildren(...tabs, add);
  }
}
