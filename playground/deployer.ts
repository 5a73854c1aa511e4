/**
 * Deploying: the project's modules (types stripped by the TypeScript worker)
 * and its config go to `start({ config, modules, version })`. Each deploy is
 * a new version, so the coordinator resets objects running older code, as a
 * Cloudflare deploy does.
 *
 * A page that opens with exactly the code another tab of this browser last
 * deployed joins that deployment (same version id and build time, kept in
 * localStorage) instead of replacing it: two tabs of one project then host
 * the same version and share its objects, which is what "one live instance
 * across tabs" needs. Pressing Deploy always makes a new version.
 */
import { start, type Runtime } from '../src/index.ts';
import { configText, moduleFiles, parseConfig, projectHash, type Project } from './project.ts';
import type { TsClient } from './ts/ts-client.ts';

const LAST_VERSION = 'hearth-playground-version';

export class Deployer {
  runtime: Runtime | undefined;
  versionId = '';
  readonly #listeners = new Set<(runtime: Runtime) => void>();
  /**
   * Calls in flight per runtime. A deploy retires the old runtime only once its calls have settled: they end
   * with Cloudflare's code-update error, which takes longer than any fixed delay on a busy machine, and
   * closing first would fail them with "Hearth runtime was closed." instead.
   */
  readonly #inFlight = new Map<Runtime, number>();
  readonly #retiring = new Set<Runtime>();
  #deploys = 0;

  constructor(private readonly ts: TsClient) {}

  /** Called with each new runtime (the watch panels and lessons re-subscribe to it). */
  onDeployed(listener: (runtime: Runtime) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Deploy the project. `join`: reuse the version another tab deployed for exactly this code. Throws what start() throws. */
  async deploy(project: Project, { join = false } = {}): Promise<Runtime> {
    const parsed = parseConfig(configText(project));
    if ('error' in parsed) throw new SyntaxError(parsed.error);
    const modules = await this.ts.ask({ type: 'transpile', files: moduleFiles(project) });
    const hash = projectHash(project);
    const last = readLast();
    const version =
      join && last?.hash === hash
        ? { id: last.id, builtAt: last.builtAt }
        : { id: `playground-${hash}-${Date.now()}-${++this.#deploys}`, builtAt: Date.now() };
    const previous = this.runtime;
    const next = await start({ config: parsed.config as never, modules, version });
    localStorage.setItem(LAST_VERSION, JSON.stringify({ hash, ...version }));
    this.runtime = next;
    this.versionId = version.id;
    // The new version's hello already made the coordinator reset objects running the old code, so calls
    // in flight there fail with Cloudflare's code-update error; close the old runtime once they have.
    if (previous) setTimeout(() => this.#retire(previous), 5_000);
    for (const listener of this.#listeners) listener(next);
    return next;
  }

  /** Run `work` against the current runtime, keeping it open until the work settles. */
  async tracked<T>(work: (runtime: Runtime) => Promise<T>): Promise<T> {
    const r = this.runtime;
    if (!r) throw new Error('Deploy first.');
    this.#inFlight.set(r, (this.#inFlight.get(r) ?? 0) + 1);
    try {
      return await work(r);
    } finally {
      const left = this.#inFlight.get(r)! - 1;
      this.#inFlight.set(r, left);
      if (left === 0 && this.#retiring.delete(r)) void r.close();
    }
  }

  #retire(old: Runtime): void {
    if (this.#inFlight.get(old)) this.#retiring.add(old);
    else void old.close();
  }
}

function readLast(): { hash: string; id: string; builtAt: number } | undefined {
  try {
    return JSON.parse(localStorage.getItem(LAST_VERSION) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}
