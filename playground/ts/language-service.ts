/**
 * A TypeScript language service over the playground's files, in memory:
 * the user's files live at `/` by their names, the bundled declaration files
 * at their own paths (lib-files.ts). It runs in the TypeScript worker, so a
 * slow check never blocks typing.
 *
 * TypeScript 6 is the last line with a JavaScript API (TypeScript 7 is a
 * native compiler), so the playground carries it under the alias
 * `typescript-6`; the repository's own `tsc` stays 7.
 */
import ts from 'typescript-6';
import { LIB_DIR, WORKERS_TYPES } from './lib-files.ts';
import type { CompletionEntry, Diagnostic, TsAnswers } from './ts-protocol.ts';

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: [],
  strict: true,
  // Lessons are short and written for reading: an untyped parameter is not an error worth a red line.
  noImplicitAny: false,
  allowJs: true,
  checkJs: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  skipLibCheck: true,
  isolatedModules: true,
};

const path = (name: string) => (name.startsWith('/') ? name : `/${name}`);

export class LanguageService {
  readonly #files = new Map<string, { text: string; version: number }>();
  readonly #libs: Map<string, string>;
  readonly #service: ts.LanguageService;

  constructor(libs: Map<string, string>) {
    this.#libs = libs;
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => OPTIONS,
      getScriptFileNames: () => [...this.#files.keys(), WORKERS_TYPES],
      getScriptVersion: (file) => String(this.#files.get(file)?.version ?? 0),
      getScriptSnapshot: (file) => {
        const text = this.#read(file);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => '/',
      getDefaultLibFileName: (options) => LIB_DIR + ts.getDefaultLibFileName(options),
      fileExists: (file) => this.#read(file) !== undefined,
      readFile: (file) => this.#read(file),
      directoryExists: () => true,
      getDirectories: () => [],
    };
    this.#service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  #read(file: string): string | undefined {
    return this.#files.get(file)?.text ?? this.#libs.get(file);
  }

  update(files: Record<string, string>): true {
    for (const name of [...this.#files.keys()]) if (!(name.slice(1) in files)) this.#files.delete(name);
    for (const [name, text] of Object.entries(files)) {
      if (!/\.[cm]?[jt]s$/.test(name)) continue;
      const known = this.#files.get(path(name));
      if (known?.text === text) continue;
      this.#files.set(path(name), { text, version: (known?.version ?? 0) + 1 });
    }
    return true;
  }

  diagnostics(file: string): TsAnswers['diagnostics'] {
    const name = path(file);
    if (!this.#files.has(name)) return [];
    const all = [...this.#service.getSyntacticDiagnostics(name), ...this.#service.getSemanticDiagnostics(name)];
    return all.map((d): Diagnostic => {
      const from = d.start ?? 0;
      return {
        from,
        to: from + (d.length ?? 0),
        severity: d.category === ts.DiagnosticCategory.Error ? 'error' : d.category === ts.DiagnosticCategory.Warning ? 'warning' : 'info',
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      };
    });
  }

  completions(file: string, pos: number): TsAnswers['completions'] {
    const name = path(file);
    if (!this.#files.has(name)) return null;
    const result = this.#service.getCompletionsAtPosition(name, pos, { includeCompletionsWithInsertText: true });
    if (!result) return null;
    const text = this.#files.get(name)!.text;
    let from = pos;
    while (from > 0 && /[\w$]/.test(text[from - 1]!)) from--;
    const entries = result.entries.slice(0, 500).map((e): CompletionEntry => ({ label: e.name, kind: e.kind, sortText: e.sortText }));
    return { from, entries };
  }

  hover(file: string, pos: number): TsAnswers['hover'] {
    const name = path(file);
    if (!this.#files.has(name)) return null;
    const info = this.#service.getQuickInfoAtPosition(name, pos);
    if (!info) return null;
    return {
      from: info.textSpan.start,
      to: info.textSpan.start + info.textSpan.length,
      signature: ts.displayPartsToString(info.displayParts),
      documentation: ts.displayPartsToString(info.documentation),
    };
  }

  transpile(files: Record<string, string>): TsAnswers['transpile'] {
    const out: Record<string, string> = {};
    for (const [name, text] of Object.entries(files)) {
      if (!name.endsWith('.ts')) {
        out[name] = text;
        continue;
      }
      const result = ts.transpileModule(text, {
        fileName: name,
        reportDiagnostics: true,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
      });
      // Stripping types would turn broken syntax into something that runs: refuse it, as a build would.
      const broken = result.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
      if (broken) {
        const { line, character } = ts.getLineAndCharacterOfPosition(broken.file!, broken.start ?? 0);
        const error = new SyntaxError(`${name}:${line + 1}:${character + 1} ${ts.flattenDiagnosticMessageText(broken.messageText, ' ')}`);
        throw error;
      }
      out[name] = result.outputText;
    }
    return out;
  }
}
