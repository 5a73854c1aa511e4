/**
 * Bringing stored data up to the active configs' migrations, for the
 * coordinator. Migrations are applied once each, in order, per script (Worker
 * name), as Cloudflare records a script's migration tag; `migration-plan.ts`
 * decides what is pending or wrong.
 *
 * Promises this keeps:
 *  - `busy` is true from the moment work is found until every pending
 *    migration is applied (or one failed); the coordinator places nothing
 *    meanwhile, and `settled` is called once at the end.
 *  - Nothing is busy when there is nothing to apply, so a hello with a known
 *    config never holds a resolve back.
 *  - A migration's data work runs only after every live object of the
 *    namespaces it deletes has stopped; its tag counts as applied only after
 *    that work succeeded. A failure is kept as the script's error.
 */
import type { NormalizedClass, NormalizedMigration } from '../config-record.ts';
import { serializeError, type SerializedError } from '../errors.ts';
import { planMigrations } from './migration-plan.ts';

/** What one script's active config says. */
export interface ScriptConfig {
  migrations: NormalizedMigration[];
  classes: NormalizedClass[];
}

export interface MigrationHooks {
  /** The active config of each script that has a connected host of the active version. */
  configs(): Map<string, ScriptConfig>;
  /** Tags of the script's migrations already applied to stored data, in order. */
  appliedMigrations?(script: string): Promise<string[]>;
  /** Apply one migration's data work and record its tag. */
  applyMigration?(script: string, migration: NormalizedMigration, classes: NormalizedClass[]): Promise<void>;
  /** Stop every live object of these namespaces; resolves once all have stopped. */
  stopNamespaces(namespaceKeys: string[]): Promise<void>;
  /** The work that made `busy` true is done. */
  settled(): void;
}

export class Migrations {
  readonly #hooks: MigrationHooks;
  /** Applied tags per script: loaded once, then kept in step with what is applied. */
  readonly #applied = new Map<string, string[]>();
  /** Per script: its active config conflicts with the applied tags, or applying one failed. */
  readonly #errors = new Map<string, SerializedError>();
  #running: Promise<void> | undefined;
  #again = false;

  constructor(hooks: MigrationHooks) {
    this.#hooks = hooks;
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** Why resolves from hosts of `script` must fail, if they must. */
  errorFor(script: string): SerializedError | undefined {
    return this.#errors.get(script);
  }

  /** The active configs may have changed (a hello, a host gone): check them, and start applying if needed. */
  sync(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    let work = false;
    for (const [script, config] of this.#hooks.configs()) {
      const applied = this.#applied.get(script);
      if (!applied) {
        if (config.migrations.length > 0) work = true;
        else this.#errors.delete(script);
        continue;
      }
      const plan = planMigrations(applied, config.migrations, script);
      if ('error' in plan) {
        this.#errors.set(script, serializeError(plan.error));
        continue;
      }
      this.#errors.delete(script);
      if (plan.pending.length > 0) work = true;
    }
    if (!work) return;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      this.#hooks.settled();
    });
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      for (const [script, config] of this.#hooks.configs()) await this.#migrate(script, config);
    } while (this.#again);
  }

  async #migrate(script: string, config: ScriptConfig): Promise<void> {
    let applied = this.#applied.get(script);
    if (!applied) {
      try {
        applied = [...((await this.#hooks.appliedMigrations?.(script)) ?? [])];
      } catch (error) {
        this.#fail(script, 'Durable Object migrations could not be read', error);
        return;
      }
      this.#applied.set(script, applied);
    }
    const plan = planMigrations(applied, config.migrations, script);
    if ('error' in plan) {
      this.#errors.set(script, serializeError(plan.error));
      return;
    }
    this.#errors.delete(script);
    for (const migration of plan.pending) {
      try {
        await this.#hooks.stopNamespaces(migration.deletedNamespaceKeys);
        await this.#hooks.applyMigration?.(script, migration, config.classes);
      } catch (error) {
        this.#fail(script, `Durable Object migration "${migration.tag}" could not be applied`, error);
        return;
      }
      applied.push(migration.tag);
    }
  }

  #fail(script: string, what: string, error: unknown): void {
    this.#errors.set(script, serializeError(new Error(`${what}: ${(error as Error)?.message ?? String(error)}`)));
  }
}
