/**
 * MinExecutionEnvironments of Lambda Managed Instances: each published version on a capacity provider
 * keeps that many environments started and warm, ready before its first invocation (Lambda starts
 * them when the version is published). Applied when a version is published (a republished
 * `$LATEST.PUBLISHED` replaces the old one's), when its scaling config changes, at server start and
 * after a reset; a deleted version's environments go with its pool. A version published `Pending`
 * becomes `Active` once they have initialised, or `Failed` if they could not (whichever node of a
 * fleet brings them up settles it).
 */
import { LATEST_PUBLISHED, type FunctionRecord } from '../domain/function.js';
import type { PoolRegistry } from '../environments/registry.js';
import type { Logger } from '../lib/logger.js';
import type { VersionRepo } from '../storage/store.js';
import type { FunctionService } from './function-service.js';
import type { VersionService } from './version-service.js';

export class ManagedEnvironments {
  /** Each version's latest apply: only its outcome settles a pending version (a later scaling change supersedes an earlier keep). */
  private readonly applies = new Map<string, number>();
  private lastApply = 0;

  constructor(
    private readonly functions: FunctionService,
    private readonly versions: VersionService,
    private readonly versionRepo: VersionRepo,
    private readonly pools: PoolRegistry,
    private readonly logger: Logger,
  ) {}

  /**
   * Brings a version's kept environments to its minimum. Resolves once they are asked for, not
   * initialised: the operations that change it answer at once (PutFunctionScalingConfig is a 202).
   */
  async apply(functionName: string, version: string): Promise<void> {
    // Numbered as called, not as its reads return: the latest call reads the latest settings.
    const key = `${functionName}:${version}`;
    const apply = ++this.lastApply;
    this.applies.set(key, apply);
    const latest = () => this.applies.get(key) === apply;
    const done = () => {
      if (latest()) this.applies.delete(key);
    };
    const record = await this.versions.get(functionName, version);
    const run = await this.versions.runnable(functionName, version);
    const mi = run.config.managedInstances;
    // A tenant-isolated function's environments belong to tenants, none of whom is known ahead.
    if (!mi || run.config.tenantIsolation) return done();
    const { minEnvironments, maxEnvironments } = await this.versions.scalingConfig(functionName, run.version);
    // A later call (a scaling change right after the publish) keeps the environments and settles the version.
    if (!latest()) return;
    const pool = this.pools.pool(run);
    const kept = pool.keep(minEnvironments, { perEnvironment: mi.perEnvironmentMaxConcurrency, maxEnvironments: maxEnvironments ?? Infinity }).then(
      () => pool.readyProvisioned() >= minEnvironments,
      (err: unknown) => {
        this.logger.warn('managed-instances environments could not all start', { function: functionName, version, error: (err as Error).message });
        return false;
      },
    );
    if (record.state !== 'Pending') return done();
    void kept
      .then(async (ok) => {
        if (!latest()) return;
        this.applies.delete(key);
        await this.versions.settle(functionName, version, record.revisionId, ok);
      })
      .catch((err: unknown) => this.logger.warn('could not settle a managed-instances version', { function: functionName, version, error: (err as Error).message }));
  }

  /** Like `apply`, for the callbacks that cannot wait: a failure is logged. */
  applySoon(functionName: string, version: string): void {
    this.apply(functionName, version).catch((err: unknown) => {
      this.logger.warn('could not apply MinExecutionEnvironments', { function: functionName, version, error: (err as Error).message });
    });
  }

  /** At start: every published managed-instances version gets its environments again. */
  async restore(): Promise<void> {
    for await (const fn of this.functions.all()) await this.restoreFunction(fn);
  }

  /** Every published managed-instances version of one function gets its environments again (after a reset). */
  async reapply(functionName: string): Promise<void> {
    await this.restoreFunction(await this.functions.get(functionName));
  }

  private async restoreFunction(fn: FunctionRecord): Promise<void> {
    if (fn.latestPublished?.config.managedInstances) this.applySoon(fn.name, LATEST_PUBLISHED);
    if (!fn.config.managedInstances || fn.lastPublishedVersion === 0) return;
    let after: number | undefined;
    for (;;) {
      const page = await this.versionRepo.list(fn.name, after, 100);
      for (const v of page) if (v.config.managedInstances) this.applySoon(fn.name, v.version);
      if (page.length < 100) return;
      after = Number(page[page.length - 1]!.version);
    }
  }
}
