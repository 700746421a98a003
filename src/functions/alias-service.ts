/**
 * Aliases: a name for a published version, optionally routing a share of invocations to a second
 * version (`AdditionalVersionWeights`), the mechanism traffic shifting is built on.
 */
import { LATEST, type AliasRecord } from '../domain/function.js';
import { newRevisionId } from '../lib/ids.js';
import type { AliasRepo } from '../storage/store.js';
import { Errors } from '../wire/errors.js';
import type { FunctionService } from './function-service.js';
import type { VersionService } from './version-service.js';

export interface AliasInput {
  functionVersion?: string;
  description?: string;
  additionalVersionWeights?: Record<string, number>;
  revisionId?: string;
}

export class AliasService {
  private readonly cache = new Map<string, AliasRecord>();

  constructor(
    private readonly functions: FunctionService,
    private readonly versions: VersionService,
    private readonly repo: AliasRepo,
    private readonly onChanged: (functionName: string) => void,
  ) {}

  arn(fn: string, alias: string): string {
    return this.functions.arn(fn, alias);
  }

  async create(fn: string, name: string, input: AliasInput & { functionVersion: string }): Promise<AliasRecord> {
    await this.functions.get(fn);
    const weights = input.additionalVersionWeights ?? {};
    await this.checkTargets(fn, input.functionVersion, weights);
    const record: AliasRecord = {
      functionName: fn,
      name,
      functionVersion: input.functionVersion,
      description: input.description ?? '',
      additionalVersionWeights: weights,
      revisionId: newRevisionId(),
    };
    if (!(await this.repo.create(record))) throw Errors.resourceConflict(`Alias already exists: ${this.arn(fn, name)}`);
    this.cache.set(`${fn}:${name}`, record);
    this.onChanged(fn);
    return record;
  }

  async get(fn: string, name: string): Promise<AliasRecord> {
    const key = `${fn}:${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    await this.functions.get(fn);
    const record = await this.repo.get(fn, name);
    if (!record) throw Errors.resourceNotFound(`Alias not found: ${this.arn(fn, name)}`);
    this.cache.set(key, record);
    return record;
  }

  async list(fn: string, functionVersion?: string): Promise<AliasRecord[]> {
    await this.functions.get(fn);
    const all = await this.repo.list(fn);
    return functionVersion === undefined ? all : all.filter((a) => a.functionVersion === functionVersion);
  }

  async update(fn: string, name: string, input: AliasInput): Promise<AliasRecord> {
    const current = await this.get(fn, name);
    if (input.revisionId !== undefined && input.revisionId !== current.revisionId) {
      throw Errors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    }
    const functionVersion = input.functionVersion ?? current.functionVersion;
    const weights = input.additionalVersionWeights ?? current.additionalVersionWeights;
    await this.checkTargets(fn, functionVersion, weights);
    const record: AliasRecord = {
      ...current,
      functionVersion,
      description: input.description ?? current.description,
      additionalVersionWeights: weights,
      revisionId: newRevisionId(),
    };
    await this.repo.update(record);
    this.cache.set(`${fn}:${name}`, record);
    this.onChanged(fn);
    return record;
  }

  async delete(fn: string, name: string): Promise<void> {
    const record = await this.functions.get(fn);
    await this.repo.delete(fn, name);
    // The alias's function URL goes with it.
    if (record.aliasUrls[name]) await this.functions.setUrl(fn, name, undefined);
    this.cache.delete(`${fn}:${name}`);
    this.onChanged(fn);
  }

  /** Forgets every alias of a deleted function. */
  forget(fn: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${fn}:`)) this.cache.delete(key);
  }

  /** Picks the version an invocation of the alias runs, by the routing weights. */
  pick(alias: AliasRecord, random: number = Math.random()): string {
    let acc = 0;
    for (const [version, weight] of Object.entries(alias.additionalVersionWeights)) {
      acc += weight;
      if (random < acc) return version;
    }
    return alias.functionVersion;
  }

  private async checkTargets(fn: string, primary: string, weights: Record<string, number>): Promise<void> {
    if (primary === LATEST && (await this.functions.get(fn)).config.managedInstances) {
      throw Errors.invalidParameter('An alias of a function with a capacity provider must point to a published version: $LATEST is not invocable.');
    }
    if (primary !== LATEST) await this.versions.get(fn, primary);
    const extra = Object.entries(weights);
    if (extra.length > 1) throw Errors.invalidParameter('Number of items in AdditionalVersionWeights cannot be greater than 1');
    for (const [version, weight] of extra) {
      if (primary === LATEST || version === LATEST) {
        throw Errors.invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
      }
      if (version === primary) throw Errors.invalidParameter(`Invalid function version ${version}. Function version ${version} is already included in routing configuration.`);
      if (!(weight >= 0 && weight <= 1)) throw Errors.invalidParameter('Weight of an additional version must be between 0.0 and 1.0.');
      await this.versions.get(fn, version);
    }
  }
}
