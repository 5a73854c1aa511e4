/**
 * The playground's state and actions, in one place the panels read: the
 * project in the editor, the running deployment, the open lesson and its
 * check, the call form, and what the runtime did (calls, gate records).
 * main.ts wires it to the page; app.ts renders it.
 */
import type { Runtime } from '../src/index.ts';
import type { AlarmEntry } from '../src/protocol.ts';
import { CallLog } from './call-log.ts';
import { Caller } from './caller.ts';
import type { CallForm } from './call-panel.ts';
import { DEFAULT_PROJECT } from './default-project.ts';
import { Deployer } from './deployer.ts';
import type { Editor } from './editor.ts';
import { GateFeed } from './gate-feed.ts';
import { lessonById } from './lessons/index.ts';
import type { CheckResult, Lesson } from './lessons/lesson.ts';
import type { Project } from './project.ts';
import { encodeShare } from './share.ts';
import type { TsClient } from './ts/ts-client.ts';

const SAVED = 'hearth-playground-project';
const DEFAULT_FORM: CallForm = { binding: 'ROOM', name: 'lobby', method: 'increment', args: '1', times: 1 };

export class Playground {
  readonly deployer: Deployer;
  readonly log = new CallLog();
  readonly gates = new GateFeed();
  readonly caller: Caller;
  lesson: Lesson | undefined;
  form: CallForm = DEFAULT_FORM;
  alarms: AlarmEntry[] = [];
  status = '';
  statusKind: 'ok' | 'err' = 'ok';
  /** Only what happened after this moment counts for the lesson's check (a reset moves it). */
  #since = 0;
  readonly #listeners = new Set<() => void>();
  #editor!: Editor;
  #frame = 0;

  constructor(ts: TsClient) {
    this.deployer = new Deployer(ts);
    this.caller = new Caller(this.deployer, this.log);
    this.deployer.onDeployed((runtime) => this.gates.follow(runtime));
    this.log.subscribe(() => this.#changed());
    this.gates.subscribe(() => this.#changed());
  }

  attach(editor: Editor): void {
    this.#editor = editor;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-render at most once a frame: a batch of 100 calls is 100 records. */
  #changed(): void {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      for (const listener of this.#listeners) listener();
    });
  }

  get runtime(): Runtime | undefined {
    return this.deployer.runtime;
  }

  /** The project to open: a shared link, else a lesson's starter, else what was saved here, else the default. */
  initialProject(shared: { project?: Project; lesson?: string }): Project {
    this.lesson = lessonById(shared.lesson);
    if (this.lesson) this.form = { ...this.lesson.call };
    if (shared.project) return shared.project;
    if (this.lesson) return this.lesson.project;
    try {
      const saved = JSON.parse(localStorage.getItem(SAVED) ?? 'null');
      if (saved?.files) return saved as Project;
    } catch {
      // A damaged save: start from the default.
    }
    return DEFAULT_PROJECT;
  }

  /** The editor changed: remember the project (for the next visit) and keep the share link current. */
  edited(project: Project): void {
    if (!this.lesson) localStorage.setItem(SAVED, JSON.stringify(project));
    history.replaceState(null, '', encodeShare({ project, ...(this.lesson ? { lesson: this.lesson.id } : {}) }));
  }

  shareUrl(): string {
    return location.href.split('#')[0] + encodeShare({ project: this.#editor.project(), ...(this.lesson ? { lesson: this.lesson.id } : {}) });
  }

  async deploy({ join = false } = {}): Promise<void> {
    this.#status('deploying…');
    try {
      const runtime = await this.deployer.deploy(this.#editor.project(), { join });
      const names = runtime.config.bindings.map((b) => b.name);
      if (!names.includes(this.form.binding) && names[0]) this.form = { ...this.form, binding: names[0] };
      this.#status(`deployed ${this.deployer.versionId}: ${runtime.config.bindings.map((b) => `${b.name} → ${b.className}`).join(', ')}`);
    } catch (error) {
      this.#status(`deploy failed — ${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? error}`, 'err');
    }
  }

  #status(text: string, kind: 'ok' | 'err' = 'ok'): void {
    this.status = text;
    this.statusKind = kind;
    this.#changed();
  }

  bindings(): string[] {
    return this.runtime?.config.bindings.map((b) => b.name) ?? [];
  }

  updateForm(patch: Partial<CallForm>): void {
    this.form = { ...this.form, ...patch };
    this.#changed();
  }

  /** `<namespaceKey>:<id>` of `binding.getByName(name)` in the running deployment. */
  keyOf(binding: string, name: string): string | undefined {
    const b = this.runtime?.config.bindings.find((x) => x.name === binding);
    const id = this.idOf(binding, name);
    return b && id ? `${b.namespaceKey}:${id}` : undefined;
  }

  idOf(binding: string, name: string): string | undefined {
    try {
      return String(this.runtime?.env[binding]?.idFromName(name));
    } catch {
      return undefined;
    }
  }

  check(): CheckResult | undefined {
    if (!this.lesson) return undefined;
    const since = this.#since;
    return this.lesson.check({
      calls: this.log.records.filter((c) => c.started >= since),
      gates: this.gates.records.filter((g) => g.event.at >= since),
      idOf: (binding, name) => this.idOf(binding, name),
    });
  }

  async openLesson(id: string | undefined): Promise<void> {
    this.lesson = lessonById(id);
    this.form = this.lesson ? { ...this.lesson.call } : DEFAULT_FORM;
    this.#since = Date.now();
    this.caller.closeSockets();
    this.#editor.load(this.lesson?.project ?? DEFAULT_PROJECT);
    this.#changed();
    await this.deploy();
  }

  /** Back to the lesson's starter code, deployed afresh; what happened before no longer counts. */
  resetLesson(): Promise<void> {
    return this.openLesson(this.lesson?.id);
  }

  openInNewTab(): void {
    window.open(this.shareUrl(), '_blank');
  }

  async refreshAlarms(): Promise<void> {
    this.alarms = (await this.runtime?.inspect())?.alarms ?? [];
    this.#changed();
  }
}
