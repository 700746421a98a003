/**
 * Provisioned concurrency on a version or an alias: N environments initialised in advance and kept
 * warm. On a weighted alias each version keeps its share (weight × N), so traffic shifting does
 * not fall back to cold starts. Status goes IN_PROGRESS → READY (or FAILED) as Lambda reports it.
 * In a fleet the N are spread over the live nodes (fleet/provisioned-spread.ts): each node keeps its
 * part, looks again after each heartbeat, and reports what the whole fleet has ready.
 */
import { formatLastModified, type ProvisionedConcurrencyRecord } from '../domain/function.js';
import { classifyQualifier } from '../domain/qualifier.js';
import type { PoolRegistry } from '../environments/registry.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ProvisionedFleet } from '../fleet/provisioned-spread.js';
import type { ProvisionedConcurrencyRepo } from '../storage/store.js';
import { Errors } from '../wire/errors.js';
import type { AliasService } from './alias-service.js';
import type { FunctionService } from './function-service.js';
import type { VersionService } from './version-service.js';

export interface ProvisionedStatus {
  record: ProvisionedConcurrencyRecord;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  statusReason?: string;
  allocated: number;
}

const notFound = Errors.provisionedConcurrencyConfigNotFound;

export class ProvisionedConcurrencyService {
  private readonly progress = new Map<string, { status: ProvisionedStatus['status']; reason?: string }>();
  /** Versions of each function that hold provisioned environments, to release those no longer asked for. */
  private readonly provisionedVersions = new Map<string, Set<string>>();
  /** Set on a node of a fleet sharing its store. */
  private fleet: ProvisionedFleet | undefined;
  private refreshing = false;

  constructor(
    private readonly functions: FunctionService,
    private readonly versions: VersionService,
    private readonly aliases: AliasService,
    private readonly repo: ProvisionedConcurrencyRepo,
    private readonly pools: PoolRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async put(fn: string, qualifier: string, requested: number): Promise<ProvisionedStatus> {
    await this.functions.get(fn);
    const q = classifyQualifier(qualifier);
    if (q.kind === 'latest') throw Errors.invalidParameter('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
    if (q.kind === 'version') await this.versions.get(fn, q.version);
    else await this.aliases.get(fn, q.alias);
    const record: ProvisionedConcurrencyRecord = { functionName: fn, qualifier, requested, lastModified: formatLastModified(this.clock.now()) };
    await this.repo.put(record);
    void this.reconcile(fn);
    return this.status(record);
  }

  async get(fn: string, qualifier: string): Promise<ProvisionedStatus> {
    await this.functions.get(fn);
    const record = await this.repo.get(fn, qualifier);
    if (!record) throw notFound();
    return this.status(record);
  }

  async list(fn: string): Promise<ProvisionedStatus[]> {
    await this.functions.get(fn);
    return Promise.all((await this.repo.list(fn)).map((r) => this.status(r)));
  }

  async delete(fn: string, qualifier: string): Promise<void> {
    await this.functions.get(fn);
    if (!(await this.repo.delete(fn, qualifier))) throw notFound();
    this.progress.delete(`${fn}:${qualifier}`);
    await this.reconcile(fn);
  }

  /** On a node of a fleet: keeps only this node's part of each version's environments (see fleet/provisioned-spread.ts). */
  spreadAcross(fleet: ProvisionedFleet): void {
    this.fleet = fleet;
  }

  /**
   * After each heartbeat of a fleet node: brings this node's part of every configuration (made on any
   * node) to what the live nodes now call for. One pass at a time; a start in progress is not waited for twice.
   */
  async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const names = new Set([...(await this.repo.list()).map((r) => r.functionName), ...this.provisionedVersions.keys()]);
      await Promise.all([...names].map((n) => this.reconcile(n)));
    } finally {
      this.refreshing = false;
    }
  }

  /** At start: provision every stored configuration again. */
  async restore(): Promise<void> {
    const names = new Set((await this.repo.list()).map((r) => r.functionName));
    await Promise.all([...names].map((n) => this.reconcile(n)));
  }

  /**
   * Brings each version's provisioned environments to what the configurations ask: a version's
   * own config plus its share of every alias config pointing at it.
   */
  async reconcile(fn: string): Promise<void> {
    const records = await this.repo.list(fn);
    const perVersion = new Map<string, number>();
    const versionsOf = new Map<string, string[]>();
    for (const r of records) {
      const shares = await this.shares(fn, r).catch(() => new Map<string, number>());
      versionsOf.set(r.qualifier, [...shares.keys()]);
      for (const [v, n] of shares) perVersion.set(v, (perVersion.get(v) ?? 0) + n);
      this.progress.set(`${fn}:${r.qualifier}`, { status: 'IN_PROGRESS' });
    }
    for (const version of this.provisionedVersions.get(fn) ?? []) if (!perVersion.has(version)) perVersion.set(version, 0);
    this.provisionedVersions.set(fn, new Set([...perVersion].filter(([, n]) => n > 0).map(([v]) => v)));
    const results = new Map<string, boolean>();
    await Promise.all(
      [...perVersion].map(async ([version, n]) => {
        try {
          const pool = this.pools.pool(await this.versions.runnable(fn, version));
          const here = this.fleet === undefined ? n : this.fleet.shareOf(`${fn}:${version}`, n);
          await pool.provision(here);
          results.set(version, pool.readyProvisioned() >= here);
        } catch (err) {
          this.logger.warn('provisioned concurrency could not be allocated', { function: fn, version, error: (err as Error).message });
          results.set(version, false);
        }
      }),
    );
    for (const r of records) {
      const ok = (versionsOf.get(r.qualifier) ?? []).every((v) => results.get(v) === true);
      this.progress.set(`${fn}:${r.qualifier}`, ok ? { status: 'READY' } : { status: 'FAILED', reason: 'Environments failed to initialise: see the function\'s logs.' });
    }
  }

  /** What the fleet has ready of a configuration: each version's ready environments here and on the live nodes, up to its share. */
  private async allocatedAcross(fleet: ProvisionedFleet, record: ProvisionedConcurrencyRecord): Promise<number> {
    const fn = record.functionName;
    const shares = await this.shares(fn, record).catch(() => new Map<string, number>());
    let allocated = 0;
    for (const [version, n] of shares) allocated += Math.min(n, this.pools.readyProvisioned(fn, version) + fleet.readyElsewhere(`${fn}:${version}`));
    return allocated;
  }

  private async shares(fn: string, r: ProvisionedConcurrencyRecord): Promise<Map<string, number>> {
    if (classifyQualifier(r.qualifier).kind === 'version') return new Map([[r.qualifier, r.requested]]);
    const alias = await this.aliases.get(fn, r.qualifier);
    const shares = new Map<string, number>();
    let rest = r.requested;
    for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
      const n = Math.round(r.requested * weight);
      shares.set(version, n);
      rest -= n;
    }
    shares.set(alias.functionVersion, rest);
    return shares;
  }

  private async status(record: ProvisionedConcurrencyRecord): Promise<ProvisionedStatus> {
    const p = this.progress.get(`${record.functionName}:${record.qualifier}`) ?? { status: 'IN_PROGRESS' as const };
    if (this.fleet !== undefined && p.status !== 'FAILED') {
      const allocated = await this.allocatedAcross(this.fleet, record);
      return { record, status: allocated >= record.requested ? 'READY' : 'IN_PROGRESS', allocated };
    }
    return {
      record,
      status: p.status,
      ...(p.reason ? { statusReason: p.reason } : {}),
      allocated: p.status === 'READY' ? record.requested : 0,
    };
  }
}
