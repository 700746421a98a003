/**
 * Creating, reading, changing and deleting functions. Keeps a write-through cache of records so
 * that the invoke path reads none from the store; in a fleet, each write tells the other nodes
 * (change signals) to drop theirs, so a reservation set through one node holds on every node.
 */
import { KeyedLock } from '../services/sqs/keyed-lock.js';
import type { CodeStore } from '../code/code-store.js';
import { formatLastModified, urlOf, withState, type FunctionConfig, type FunctionRecord, type FunctionUrl, type FunctionVersionRecord, type VersionState } from '../domain/function.js';
import { checkEnvironment, checkHandler, checkMemory, checkRuntime, checkTimeout } from '../domain/validation.js';
import { checkManagedInstances } from '../domain/managed-instances.js';
import type { Clock } from '../lib/clock.js';
import { newRevisionId } from '../lib/ids.js';
import type { ChangeSignals } from '../storage/change-signals.js';
import type { FunctionRepo } from '../storage/store.js';
import { functionArn, type Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';

export interface CreateFunctionInput {
  name: string;
  zip: Buffer;
  config: FunctionConfig;
  tags: Record<string, string>;
}

export type ConfigChanges = Partial<Omit<FunctionConfig, 'architecture'>>;

export interface FunctionChangeListener {
  /** $LATEST's code or configuration changed (`latest`), or the function was deleted (`deleted`). */
  functionChanged(name: string, change: 'created' | 'latest' | 'deleted'): void;
  /** The sum of all reserved concurrency changed. */
  reservedConcurrencyChanged(total: number): void;
}

export class FunctionService {
  /** Read-modify-write of one function at a time on this node: concurrent changes never lose each other. */
  private readonly writes = new KeyedLock();
  private readonly cache = new Map<string, FunctionRecord>();

  constructor(
    private readonly repo: FunctionRepo,
    private readonly code: CodeStore,
    private readonly clock: Clock,
    private readonly account: Account,
    private readonly listener: FunctionChangeListener,
    private readonly signals?: ChangeSignals,
  ) {
    signals?.subscribe(FUNCTIONS_CHANNEL, (name) => {
      if (name === undefined) this.cache.clear();
      else this.cache.delete(name);
      void this.totalReserved().then((total) => this.listener.reservedConcurrencyChanged(total), () => undefined);
    });
  }

  /** Caches a record just written, and tells the other nodes of a fleet that theirs is stale. */
  private written(record: FunctionRecord): void {
    this.cache.set(record.name, record);
    this.signals?.publish(FUNCTIONS_CHANNEL, [record.name]);
  }

  arn(name: string, qualifier?: string): string {
    return functionArn(this.account, name, qualifier);
  }

  async get(name: string): Promise<FunctionRecord> {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const record = await this.repo.get(name);
    if (!record) throw Errors.functionNotFound(this.arn(name));
    this.cache.set(name, record);
    return record;
  }

  async list(marker: string | undefined, maxItems: number): Promise<{ functions: FunctionRecord[]; nextMarker?: string }> {
    const page = await this.repo.list(marker, maxItems + 1);
    const functions = page.slice(0, maxItems);
    return page.length > maxItems ? { functions, nextMarker: functions[functions.length - 1]!.name } : { functions };
  }

  async count(): Promise<number> {
    return this.repo.count();
  }

  async create(input: CreateFunctionInput): Promise<FunctionRecord> {
    checkConfig(input.config);
    if (await this.repo.get(input.name)) throw Errors.functionExists(this.arn(input.name));
    const stored = await this.code.put(input.zip);
    const record: FunctionRecord = {
      name: input.name,
      config: input.config,
      code: { sha256: stored.sha256, size: stored.size },
      revisionId: newRevisionId(),
      lastModified: formatLastModified(this.clock.now()),
      state: 'Pending',
      stateReason: 'The function is being created.',
      stateReasonCode: 'Creating',
      lastUpdateStatus: 'InProgress',
      reservedConcurrency: null,
      tags: input.tags,
      lastPublishedVersion: 0,
      policy: [],
      aliasUrls: {},
      recursiveLoop: 'Terminate',
    };
    if (!(await this.repo.create(record))) throw Errors.functionExists(this.arn(input.name));
    this.written(record);
    this.listener.functionChanged(record.name, 'created');
    this.settleLater(record.name, record.revisionId);
    return record;
  }

  async updateCode(name: string, zip: Buffer, revisionId: string | undefined): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      const current = await this.ready(name, revisionId);
      const stored = await this.code.put(zip);
      return this.save({ ...current, code: { sha256: stored.sha256, size: stored.size } }, true);
    });
  }

  async updateConfig(name: string, changes: ConfigChanges, revisionId: string | undefined): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      const current = await this.ready(name, revisionId);
      const config = { ...current.config, ...changes };
      checkConfig(config);
      return this.save({ ...current, config }, true);
    });
  }

  /** Sets (or, with undefined, removes) the URL of the unqualified function or of one of its aliases. */
  async setUrl(name: string, alias: string | undefined, url: FunctionUrl | undefined): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      const current = await this.get(name);
      const old = urlOf(current, alias);
      let next: FunctionRecord;
      if (alias === undefined) {
        const { url: _old, ...rest } = current;
        next = url ? { ...rest, url } : rest;
      } else {
        const { [alias]: _old, ...others } = current.aliasUrls;
        next = { ...current, aliasUrls: url ? { ...others, [alias]: url } : others };
      }
      const saved = await this.save(next, false);
      const index = await this.urls();
      if (old) index.delete(old.id);
      if (url) index.set(url.id, alias === undefined ? { name } : { name, alias });
      return saved;
    });
  }

  /** The function (and alias) a function URL id belongs to, if any. */
  async functionForUrl(id: string): Promise<UrlTarget | undefined> {
    return (await this.urls()).get(id);
  }

  private urlIndex: Map<string, UrlTarget> | undefined;

  private async urls(): Promise<Map<string, UrlTarget>> {
    if (!this.urlIndex) {
      const index = new Map<string, UrlTarget>();
      let marker: string | undefined;
      for (;;) {
        const page = await this.repo.list(marker, 500);
        for (const f of page) for (const [id, target] of urlsOf(f)) index.set(id, target);
        if (page.length < 500) break;
        marker = page[page.length - 1]!.name;
      }
      this.urlIndex = index;
    }
    return this.urlIndex;
  }

  async setTags(name: string, tags: Record<string, string>): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      return this.save({ ...(await this.get(name)), tags }, false);
    });
  }

  /**
   * Changes the resource policy from its current statements (read under the function's write lock,
   * so that two AddPermission calls at once both land); the caller's `revisionId`, when given, must be current.
   */
  async setPolicy(name: string, edit: (policy: FunctionRecord['policy']) => FunctionRecord['policy'], revisionId: string | undefined): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      const current = await this.get(name);
      if (revisionId !== undefined && revisionId !== current.revisionId) {
        throw Errors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
      }
      return this.save({ ...current, policy: edit(current.policy) }, false);
    });
  }

  async setRecursiveLoop(name: string, recursiveLoop: FunctionRecord['recursiveLoop']): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      return this.save({ ...(await this.get(name)), recursiveLoop }, false);
    });
  }

  /**
   * Publishes from the current $LATEST under the function's write lock: `publish` reads the record as it
   * is, and the version number it returns is saved with it, so a policy or tag change made at the same
   * time (CloudFormation adds permissions while it publishes) cannot put the old number back.
   */
  /** `published`: the new last version number; `latestPublished`: the new `$LATEST.PUBLISHED`. */
  async publishing<T>(name: string, publish: (current: FunctionRecord) => Promise<{ value: T; published?: number; latestPublished?: FunctionVersionRecord }>): Promise<T> {
    return this.writes.run(name, async () => {
      const current = await this.get(name);
      const { value, published, latestPublished } = await publish(current);
      if (published !== undefined || latestPublished !== undefined) {
        const record = { ...current, ...(published !== undefined ? { lastPublishedVersion: published } : {}), ...(latestPublished ? { latestPublished } : {}) };
        if (!(await this.repo.update(record))) throw Errors.functionNotFound(this.arn(name));
        this.written(record);
      }
      return value;
    });
  }

  /** `$LATEST.PUBLISHED`, pending as published with `revisionId`, is ready (or failed): see VersionService.settle. */
  async settleLatestPublished(name: string, revisionId: string, state: VersionState): Promise<void> {
    return this.writes.run(name, async () => {
      const current = await this.get(name);
      const published = current.latestPublished;
      if (published?.state !== 'Pending' || published.revisionId !== revisionId) return;
      const record = { ...current, latestPublished: withState(published, state) };
      if (!(await this.repo.update(record))) throw Errors.functionNotFound(this.arn(name));
      this.written(record);
    });
  }

  /** Deletes `$LATEST.PUBLISHED` (DeleteFunction with that qualifier). */
  async dropLatestPublished(name: string): Promise<void> {
    return this.writes.run(name, async () => {
      const { latestPublished: _dropped, ...record } = await this.get(name);
      if (!(await this.repo.update(record))) throw Errors.functionNotFound(this.arn(name));
      this.written(record);
    });
  }

  async setReservedConcurrency(name: string, value: number | null): Promise<FunctionRecord> {
    return this.writes.run(name, async () => {
      const current = await this.get(name);
      const saved = await this.save({ ...current, reservedConcurrency: value }, false);
      this.listener.reservedConcurrencyChanged(await this.totalReserved());
      return saved;
    });
  }

  async delete(name: string): Promise<void> {
    const fn = await this.get(name);
    await this.repo.delete(name);
    this.cache.delete(name);
    this.signals?.publish(FUNCTIONS_CHANNEL, [name]);
    for (const [id] of urlsOf(fn)) this.urlIndex?.delete(id);
    this.listener.functionChanged(name, 'deleted');
    if (fn.reservedConcurrency !== null) this.listener.reservedConcurrencyChanged(await this.totalReserved());
  }

  /** All reserved concurrency, for the account's unreserved pool. */
  totalReserved(excluding?: string): Promise<number> {
    return this.sum((f) => (f.name === excluding ? 0 : (f.reservedConcurrency ?? 0)));
  }

  totalCodeSize(): Promise<number> {
    return this.sum((f) => f.code.size);
  }

  /** Every function, page by page, in name order. */
  async *all(): AsyncGenerator<FunctionRecord> {
    let marker: string | undefined;
    for (;;) {
      const page = await this.repo.list(marker, 500);
      yield* page;
      if (page.length < 500) return;
      marker = page[page.length - 1]!.name;
    }
  }

  private async sum(of: (f: FunctionRecord) => number): Promise<number> {
    let total = 0;
    let marker: string | undefined;
    for (;;) {
      const page = await this.repo.list(marker, 500);
      for (const f of page) total += of(f);
      if (page.length < 500) return total;
      marker = page[page.length - 1]!.name;
    }
  }

  /** An update may start only when the previous one is done and the caller's revision is current. */
  private async ready(name: string, revisionId: string | undefined): Promise<FunctionRecord> {
    const current = await this.get(name);
    if (current.lastUpdateStatus === 'InProgress') {
      throw Errors.resourceConflict(`The operation cannot be performed at this time. An update is in progress for resource: ${this.arn(name)}`);
    }
    if (revisionId !== undefined && revisionId !== current.revisionId) {
      throw Errors.preconditionFailed('The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id');
    }
    return current;
  }

  private async save(next: FunctionRecord, recycle: boolean): Promise<FunctionRecord> {
    const record: FunctionRecord = recycle
      ? { ...next, revisionId: newRevisionId(), lastModified: formatLastModified(this.clock.now()), lastUpdateStatus: 'InProgress' }
      : { ...next, revisionId: newRevisionId() };
    if (!(await this.repo.update(record))) throw Errors.functionNotFound(this.arn(record.name));
    this.written(record);
    if (recycle) {
      this.listener.functionChanged(record.name, 'latest');
      this.settleLater(record.name, record.revisionId);
    }
    return record;
  }

  /**
   * Code is checked and unpacked before the API answers, so the Pending/InProgress state lasts one
   * turn of the event loop; it is reported as Lambda reports it so that SDK waiters behave the same.
   */
  private settleLater(name: string, revisionId: string): void {
    setImmediate(() => {
      void this.settle(name, revisionId).catch(() => undefined);
    });
  }

  /** Completes a create or update now (for `Publish`, which needs the function Active first). */
  async settleNow(name: string): Promise<void> {
    const current = await this.get(name);
    await this.settle(name, current.revisionId);
  }

  private async settle(name: string, revisionId: string): Promise<void> {
    const current = this.cache.get(name) ?? (await this.repo.get(name));
    if (!current || current.revisionId !== revisionId) return;
    const { stateReason: _r, stateReasonCode: _c, ...rest } = current;
    const record: FunctionRecord = { ...rest, state: 'Active', lastUpdateStatus: 'Successful' };
    if (await this.repo.update(record)) this.written(record);
  }
}

/** The change-signal channel on which nodes say which functions they wrote. */
const FUNCTIONS_CHANNEL = 'functions';

function checkConfig(c: FunctionConfig): void {
  checkRuntime(c.runtime);
  checkHandler(c.handler);
  checkTimeout(c.timeoutSeconds);
  checkMemory(c.memoryMb);
  checkEnvironment(c.environment);
  checkManagedInstances(c);
}

/** What a function URL runs: the unqualified function, or the version an alias routes to. */
export interface UrlTarget {
  name: string;
  alias?: string;
}

function urlsOf(fn: FunctionRecord): [string, UrlTarget][] {
  const all: [string, UrlTarget][] = Object.entries(fn.aliasUrls).map(([alias, u]) => [u.id, { name: fn.name, alias }]);
  if (fn.url) all.unshift([fn.url.id, { name: fn.name }]);
  return all;
}
