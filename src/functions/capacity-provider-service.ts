/**
 * Capacity providers (Lambda Managed Instances): named shares of this server's (or fleet's) CPU and
 * memory that functions are placed on. A provider is usable as soon as it is stored, so it is Active
 * from its creation; deleting it is refused while any function or published version names it.
 */
import type { CapacityProviderRecord } from '../domain/capacity-provider.js';
import { formatLastModified, LATEST, LATEST_PUBLISHED, type FunctionConfig } from '../domain/function.js';
import type { Clock } from '../lib/clock.js';
import type { CapacityProviderRepo, VersionRepo } from '../storage/store.js';
import { capacityProviderArn, capacityProviderNameOf, type Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import type { FunctionService } from './function-service.js';

/** Capacity providers per account, as Lambda's quota page lists it. */
export const DEFAULT_CAPACITY_PROVIDER_LIMIT = 1000;

export type CapacityProviderInput = Omit<CapacityProviderRecord, 'name' | 'state' | 'lastModified'>;
export type ScalingInput = Partial<CapacityProviderRecord['scaling']>;

/** A function's $LATEST or one of its published versions, named by its qualified ARN. */
export interface VersionOnProvider {
  functionName: string;
  version: string;
  functionArn: string;
  state: string;
}

export class CapacityProviderService {
  constructor(
    private readonly repo: CapacityProviderRepo,
    private readonly functions: FunctionService,
    private readonly versions: VersionRepo,
    private readonly clock: Clock,
    private readonly account: Account,
    private readonly limit: number = DEFAULT_CAPACITY_PROVIDER_LIMIT,
  ) {}

  arn(name: string): string {
    return capacityProviderArn(this.account, name);
  }

  async create(nameOrArn: string, input: CapacityProviderInput): Promise<CapacityProviderRecord> {
    const name = capacityProviderNameOf(this.account, nameOrArn);
    checkScaling(input.scaling);
    checkInstanceRequirements(input.instanceRequirements);
    if ((await this.repo.count()) >= this.limit) throw Errors.capacityProviderLimitExceeded(this.limit);
    const record: CapacityProviderRecord = { ...input, name, state: 'Active', lastModified: formatLastModified(this.clock.now()) };
    if (!(await this.repo.create(record))) throw Errors.resourceConflict(`Capacity provider already exists: ${this.arn(name)}`);
    return record;
  }

  async get(nameOrArn: string): Promise<CapacityProviderRecord> {
    const name = capacityProviderNameOf(this.account, nameOrArn);
    const record = await this.repo.get(name);
    if (!record) throw Errors.capacityProviderNotFound(this.arn(name));
    return record;
  }

  /** A page of providers in name order; the marker is the last name of the previous page. */
  async list(marker: string | undefined, maxItems: number, state?: string): Promise<{ items: CapacityProviderRecord[]; nextMarker?: string }> {
    const items: CapacityProviderRecord[] = [];
    let after = marker;
    // A state filter may skip rows: read on until the page is full or the providers run out.
    for (;;) {
      const page = await this.repo.list(after, maxItems + 1);
      for (const p of page) if (state === undefined || p.state === state) items.push(p);
      if (items.length > maxItems || page.length <= maxItems) break;
      after = page[page.length - 1]!.name;
    }
    if (items.length <= maxItems) return { items };
    const kept = items.slice(0, maxItems);
    return { items: kept, nextMarker: kept[kept.length - 1]!.name };
  }

  async update(nameOrArn: string, scaling: ScalingInput | undefined): Promise<CapacityProviderRecord> {
    const current = await this.get(nameOrArn);
    const next: CapacityProviderRecord = {
      ...current,
      scaling: scaling === undefined ? current.scaling : mergeScaling(current.scaling, scaling),
      lastModified: formatLastModified(this.clock.now()),
    };
    checkScaling(next.scaling);
    if (!(await this.repo.update(next))) throw Errors.capacityProviderNotFound(this.arn(current.name));
    return next;
  }

  async setTags(nameOrArn: string, tags: Record<string, string>): Promise<void> {
    const current = await this.get(nameOrArn);
    if (!(await this.repo.update({ ...current, tags }))) throw Errors.capacityProviderNotFound(this.arn(current.name));
  }

  /** Refused while a function or version names the provider; answers the provider as it goes, Deleting. */
  async delete(nameOrArn: string): Promise<CapacityProviderRecord> {
    const current = await this.get(nameOrArn);
    const arn = this.arn(current.name);
    const users: string[] = [];
    for await (const v of this.onProvider(arn, true)) {
      users.push(v.functionArn);
      if (users.length === 5) break;
    }
    if (users.length > 0) {
      throw Errors.resourceConflict(`Capacity provider ${arn} is in use by function versions and cannot be deleted: ${users.join(', ')}`);
    }
    await this.repo.delete(current.name);
    return { ...current, state: 'Deleting' };
  }

  /** ListFunctionVersionsByCapacityProvider: published versions on the provider, a page after `marker` (a version's ARN). */
  async versionsOn(nameOrArn: string, marker: string | undefined, maxItems: number): Promise<{ arn: string; items: VersionOnProvider[]; nextMarker?: string }> {
    const arn = this.arn((await this.get(nameOrArn)).name);
    const items: VersionOnProvider[] = [];
    let skipping = marker !== undefined;
    for await (const v of this.onProvider(arn, false)) {
      if (skipping) {
        skipping = v.functionArn !== marker;
        continue;
      }
      if (items.length === maxItems) return { arn, items, nextMarker: items[items.length - 1]!.functionArn };
      items.push(v);
    }
    return { arn, items };
  }

  /** Checks that a function may be placed on a provider: it exists and, if it names an architecture, the function's matches. */
  async checkPlacement(config: FunctionConfig): Promise<void> {
    const mi = config.managedInstances;
    if (!mi) return;
    const provider = await this.get(mi.capacityProviderArn).catch(() => {
      throw Errors.invalidParameter(`The capacity provider ${mi.capacityProviderArn} does not exist.`);
    });
    const archs = provider.instanceRequirements?.architectures;
    if (archs && archs.length > 0 && !archs.includes(config.architecture)) {
      throw Errors.invalidParameter(`The function's architecture ${config.architecture} does not match the capacity provider's (${archs.join(', ')}).`);
    }
  }

  /** Every version on the provider, function by function: $LATEST too when `withLatest` (deletion checks every user). */
  private async *onProvider(arn: string, withLatest: boolean): AsyncGenerator<VersionOnProvider> {
    const on = (c: FunctionConfig) => c.managedInstances?.capacityProviderArn === arn;
    for await (const fn of this.functions.all()) {
      const item = (version: string, state: VersionOnProvider['state']) => ({ functionName: fn.name, version, functionArn: this.functions.arn(fn.name, version), state });
      if (withLatest && on(fn.config)) yield item(LATEST, fn.state);
      if (fn.latestPublished && on(fn.latestPublished.config)) yield item(LATEST_PUBLISHED, fn.latestPublished.state ?? 'Active');
      let after: number | undefined;
      for (;;) {
        const page = await this.versions.list(fn.name, after, 100);
        for (const v of page) if (on(v.config)) yield item(v.version, v.state ?? 'Active');
        if (page.length < 100) break;
        after = Number(page[page.length - 1]!.version);
      }
    }
  }
}

/** What UpdateCapacityProvider names replaces the current setting; what it leaves out stays, but Auto scaling drops the policies. */
const mergeScaling = (current: CapacityProviderRecord['scaling'], change: ScalingInput): CapacityProviderRecord['scaling'] => ({
  ...current,
  ...(change.mode === 'Auto' ? { policies: [] } : {}),
  ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
});

/** Auto scaling is Lambda's own; Manual scaling needs target-tracking policies, and only it takes them. */
function checkScaling(s: CapacityProviderRecord['scaling']): void {
  if (s.mode === 'Manual' && s.policies.length === 0) throw Errors.invalidParameter('ScalingPolicies are required when ScalingMode is Manual.');
  if (s.mode === 'Auto' && s.policies.length > 0) throw Errors.invalidParameter('ScalingPolicies can be specified only when ScalingMode is Manual.');
}

function checkInstanceRequirements(r: CapacityProviderRecord['instanceRequirements']): void {
  if (r?.allowedInstanceTypes?.length && r.excludedInstanceTypes?.length) {
    throw Errors.invalidParameter('AllowedInstanceTypes and ExcludedInstanceTypes cannot both be specified.');
  }
}
