/**
 * Published versions: immutable snapshots of $LATEST's code and configuration, numbered 1, 2, ...
 * and never renumbered. Publishing an unchanged $LATEST returns the newest version, as Lambda does.
 */
import { sha256Base64 } from '../code/code-store.js';
import type { FunctionScalingRecord } from '../domain/capacity-provider.js';
import { formatLastModified, LATEST, LATEST_PUBLISHED, withState, type FunctionConfig, type FunctionRecord, type FunctionVersionRecord, type RunnableVersion, type VersionState } from '../domain/function.js';
import type { Clock } from '../lib/clock.js';
import { newRevisionId } from '../lib/ids.js';
import type { AliasRepo, FunctionScalingRepo, ProvisionedConcurrencyRepo, VersionRepo } from '../storage/store.js';
import { Errors } from '../wire/errors.js';
import type { FunctionService } from './function-service.js';

export interface PublishOptions {
  codeSha256?: string;
  description?: string;
  revisionId?: string;
  /** PublishTo: LATEST_PUBLISHED: republish `$LATEST.PUBLISHED` in place instead of numbering a new version. */
  toLatestPublished?: boolean;
}

/** A managed-instances version's scaling: the environments it keeps at least, and at most (undefined: no limit). */
export interface VersionScaling {
  minEnvironments: number;
  maxEnvironments: number | undefined;
}

/** Lambda's defaults when PutFunctionScalingConfig was never called: three environments kept, no upper limit. */
export const DEFAULT_MIN_ENVIRONMENTS = 3;

/** A managed-instances version whose minimum environments are still starting. */
const PENDING: VersionState = { state: 'Pending', stateReason: 'The function is being created.', stateReasonCode: 'Creating' };
/** ...and whose environments could not initialise. */
const FAILED: VersionState = {
  state: 'Failed',
  stateReason: "The version's execution environments failed to initialise: see the function's logs.",
  stateReasonCode: 'FunctionError',
};

export class VersionService {
  /** Versions never change once published: the invoke path reads them from here. */
  private readonly cache = new Map<string, FunctionVersionRecord>();

  constructor(
    private readonly functions: FunctionService,
    private readonly versions: VersionRepo,
    private readonly aliases: AliasRepo,
    private readonly provisioned: ProvisionedConcurrencyRepo,
    private readonly clock: Clock,
    /** A version's environments are stale: it was deleted, or `$LATEST.PUBLISHED` was republished. */
    private readonly onVersionDeleted: (functionName: string, version: string) => void,
    private readonly scaling: FunctionScalingRepo,
    /** The minimum a version keeps when its scaling config sets none: Lambda's 3, unless the server says otherwise. */
    private readonly defaultMinEnvironments: number = DEFAULT_MIN_ENVIRONMENTS,
    /** A managed-instances version was published, or its scaling config changed: its kept environments follow. */
    private readonly onScalingChanged: (functionName: string, version: string) => void = () => undefined,
  ) {}

  async publish(name: string, o: PublishOptions): Promise<FunctionVersionRecord> {
    const published = await this.publishing(name, o);
    if (published.config.managedInstances) this.onScalingChanged(name, published.version);
    return published;
  }

  private publishing(name: string, o: PublishOptions): Promise<FunctionVersionRecord> {
    return this.functions.publishing(name, async (fn) => {
      if (fn.lastUpdateStatus === 'InProgress') {
        throw Errors.resourceConflict(`The operation cannot be performed at this time. An update is in progress for resource: ${this.functions.arn(name)}`);
      }
      if (o.revisionId !== undefined && o.revisionId !== fn.revisionId) {
        throw Errors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
      }
      const latestSha = sha256Base64(fn.code.sha256);
      if (o.codeSha256 !== undefined && o.codeSha256 !== latestSha) {
        throw Errors.invalidParameter(
          `CodeSHA256 (${o.codeSha256}) is different from current CodeSHA256 in $LATEST (${latestSha}). Please try again with the CodeSHA256 in $LATEST.`,
        );
      }
      if (o.toLatestPublished) return this.republishLatest(fn, o.description);
      if (fn.lastPublishedVersion > 0) {
        const newest = await this.versions.get(name, String(fn.lastPublishedVersion));
        if (newest && newest.code.sha256 === fn.code.sha256 && JSON.stringify(newest.config) === JSON.stringify(fn.config)) return { value: newest };
      }
      const number = String(fn.lastPublishedVersion + 1);
      const version: FunctionVersionRecord = {
        functionName: name,
        version: number,
        config: fn.config,
        code: fn.code,
        description: o.description ?? fn.config.description,
        revisionId: newRevisionId(),
        lastModified: formatLastModified(this.clock.now()),
        ...(await this.initialState(name, number, fn.config)),
      };
      await this.versions.put(version);
      return { value: version, published: fn.lastPublishedVersion + 1 };
    });
  }

  /** `$LATEST.PUBLISHED` takes $LATEST's code and configuration, unless they are what it holds already. */
  private async republishLatest(fn: FunctionRecord, description: string | undefined) {
    if (!fn.config.managedInstances) {
      throw Errors.invalidParameter('PublishTo LATEST_PUBLISHED is supported only for functions with a capacity provider (CapacityProviderConfig).');
    }
    const current = fn.latestPublished;
    if (current && current.code.sha256 === fn.code.sha256 && JSON.stringify(current.config) === JSON.stringify(fn.config) && description === undefined) return { value: current };
    const latestPublished: FunctionVersionRecord = {
      functionName: fn.name,
      version: LATEST_PUBLISHED,
      config: fn.config,
      code: fn.code,
      description: description ?? fn.config.description,
      revisionId: newRevisionId(),
      lastModified: formatLastModified(this.clock.now()),
      ...(await this.initialState(fn.name, LATEST_PUBLISHED, fn.config)),
    };
    if (current) this.onVersionDeleted(fn.name, LATEST_PUBLISHED);
    return { value: latestPublished, latestPublished };
  }

  /**
   * A managed-instances version that keeps environments starts `Pending` (Lambda brings up its minimum
   * before the version is `Active`); any other version is `Active` from the start.
   */
  private async initialState(name: string, version: string, config: FunctionConfig): Promise<VersionState | undefined> {
    if (!config.managedInstances || config.tenantIsolation) return undefined;
    return (await this.scalingConfig(name, version)).minEnvironments > 0 ? PENDING : undefined;
  }

  /**
   * A `Pending` version's minimum environments have initialised (`ok`) or could not: it becomes `Active`
   * or `Failed`. `revisionId` names the publication meant: a `$LATEST.PUBLISHED` republished since is left alone.
   */
  async settle(name: string, version: string, revisionId: string, ok: boolean): Promise<void> {
    const state = ok ? { state: 'Active' as const } : FAILED;
    if (version === LATEST_PUBLISHED) return this.functions.settleLatestPublished(name, revisionId, state);
    const current = await this.versions.get(name, version);
    if (current?.state !== 'Pending' || current.revisionId !== revisionId) return;
    if (await this.versions.setState(name, version, state)) this.cache.set(`${name}:${version}`, withState(current, state));
  }

  async get(name: string, version: string): Promise<FunctionVersionRecord> {
    const fn = await this.functions.get(name);
    // Republished in place: read from the function's record (cached by the function service), never cached here.
    if (version === LATEST_PUBLISHED) {
      if (!fn.latestPublished) throw Errors.functionNotFound(this.functions.arn(name, LATEST_PUBLISHED));
      return fn.latestPublished;
    }
    const key = `${name}:${version}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const v = await this.versions.get(name, version);
    if (!v) throw Errors.functionNotFound(this.functions.arn(name, version));
    // A pending version is read again until it settles (on another node of a fleet, too).
    if (v.state !== 'Pending') this.cache.set(key, v);
    return v;
  }

  /**
   * $LATEST first, then `$LATEST.PUBLISHED` where a managed-instances function has one, then the
   * numbered versions in order, as ListVersionsByFunction pages them.
   */
  async list(name: string, marker: string | undefined, maxItems: number): Promise<{ items: (FunctionVersionRecord | typeof LATEST)[]; nextMarker?: string }> {
    const fn = await this.functions.get(name);
    const items: (FunctionVersionRecord | typeof LATEST)[] = [];
    let after: number | undefined;
    if (marker === undefined) items.push(LATEST);
    if (marker === undefined || marker === LATEST) {
      if (fn.latestPublished) items.push(fn.latestPublished);
    } else if (marker !== LATEST_PUBLISHED) {
      if (!/^\d+$/.test(marker)) throw Errors.invalidParameter('Invalid marker.');
      after = Number(marker);
    }
    const page = await this.versions.list(name, after, maxItems - items.length + 1);
    items.push(...page);
    if (items.length > maxItems) {
      const kept = items.slice(0, maxItems);
      const last = kept[kept.length - 1]!;
      return { items: kept, nextMarker: last === LATEST ? LATEST : last.version };
    }
    return { items };
  }

  async delete(name: string, version: string): Promise<void> {
    await this.get(name, version);
    const referencing = (await this.aliases.list(name)).filter((a) => a.functionVersion === version || version in a.additionalVersionWeights);
    if (referencing.length > 0) {
      throw Errors.resourceConflict(`Unable to delete version because the following aliases reference it: [${referencing.map((a) => a.name).join(', ')}]`);
    }
    await this.provisioned.delete(name, version);
    await this.scaling.delete(name, version);
    if (version === LATEST_PUBLISHED) await this.functions.dropLatestPublished(name);
    else await this.versions.delete(name, version);
    this.cache.delete(`${name}:${version}`);
    this.onVersionDeleted(name, version);
  }

  /** Everything but $LATEST, when the function itself is deleted. */
  async deleteAllOf(name: string): Promise<void> {
    for (const key of this.cache.keys()) if (key.startsWith(`${name}:`)) this.cache.delete(key);
    await this.provisioned.deleteAll(name);
    await this.scaling.deleteAll(name);
    await this.aliases.deleteAll(name);
    await this.versions.deleteAll(name);
  }

  async runnable(name: string, version: string): Promise<RunnableVersion> {
    if (version === LATEST) {
      const fn = await this.functions.get(name);
      // A function on a capacity provider runs only as a published version: unqualified, `$LATEST.PUBLISHED`.
      if (fn.config.managedInstances) return this.runnable(name, LATEST_PUBLISHED);
      return { functionName: name, version: LATEST, config: fn.config, code: fn.code };
    }
    // Invoke's answer (the only operations the model gives it to) when there is nothing published to run.
    if (version === LATEST_PUBLISHED && !(await this.functions.get(name)).latestPublished) {
      throw Errors.noPublishedVersion(this.functions.arn(name, LATEST_PUBLISHED));
    }
    const v = await this.get(name, version);
    return { functionName: name, version: v.version, config: v.config, code: v.code, ...(v.state === 'Pending' || v.state === 'Failed' ? { notReady: v.state } : {}) };
  }

  /**
   * The scaling a published version of a managed-instances function asks for (PutFunctionScalingConfig),
   * with Lambda's defaults for what it did not set: what the executor reads to size its environments.
   */
  async scalingConfig(name: string, version: string): Promise<VersionScaling> {
    const r = await this.scaling.get(name, version);
    const max = r?.maxEnvironments;
    // A maximum below the default minimum (set alone) bounds it: never more kept than allowed.
    return { minEnvironments: Math.min(r?.minEnvironments ?? this.defaultMinEnvironments, max ?? Infinity), maxEnvironments: max };
  }

  /** What PutFunctionScalingConfig stored for a version, if anything. */
  requestedScaling(name: string, version: string): Promise<FunctionScalingRecord | undefined> {
    return this.scaling.get(name, version);
  }

  async putScaling(record: FunctionScalingRecord): Promise<void> {
    const fn = await this.functions.get(record.functionName);
    if (!fn.config.managedInstances) throw Errors.invalidParameter('Function scaling configuration is supported only for functions with a capacity provider (CapacityProviderConfig).');
    const v = await this.get(record.functionName, record.qualifier);
    if (!v.config.managedInstances) throw Errors.invalidParameter(`Version ${record.qualifier} of the function has no capacity provider.`);
    if (record.minEnvironments !== undefined && record.maxEnvironments !== undefined && record.minEnvironments > record.maxEnvironments) {
      throw Errors.invalidParameter('MinExecutionEnvironments must be less than or equal to MaxExecutionEnvironments.');
    }
    await this.scaling.put(record);
    this.onScalingChanged(record.functionName, record.qualifier);
  }
}
