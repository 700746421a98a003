/** Retry and destination settings for asynchronous invocation (Put/Get/Update/Delete/List EventInvokeConfig). */
import { LATEST } from '../domain/function.js';
import { classifyQualifier } from '../domain/qualifier.js';
import type { AliasService } from '../functions/alias-service.js';
import type { FunctionService } from '../functions/function-service.js';
import type { VersionService } from '../functions/version-service.js';
import type { Clock } from '../lib/clock.js';
import type { EventInvokeConfigRepo } from '../storage/store.js';
import { Errors } from '../wire/errors.js';
import type { Destinations } from './destinations.js';
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, type EventInvokeConfig } from './model.js';

export interface EventInvokeSettings {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Present when the caller gave a destination config: each side absent or '' means none. */
  destinations?: { onSuccess?: string; onFailure?: string };
}

/** What the dispatcher applies to an event, defaults filled in. */
export interface EffectiveConfig {
  maximumRetryAttempts: number;
  maximumEventAgeMs: number;
  onSuccess?: string;
  onFailure?: string;
}

export class EventInvokeConfigs {
  constructor(
    private readonly repo: EventInvokeConfigRepo,
    private readonly functions: FunctionService,
    private readonly versions: VersionService,
    private readonly aliases: AliasService,
    private readonly destinations: Destinations,
    private readonly clock: Clock,
  ) {}

  /**
   * The qualifier a config belongs to: $LATEST for the unqualified function, or a published version
   * or an alias, which must exist (ResourceNotFoundException otherwise). Each has its own config; an
   * event uses the one of the qualifier it was invoked with.
   */
  async qualifierOf(name: string, qualifier: string | undefined): Promise<string> {
    const q = classifyQualifier(qualifier);
    if (q.kind === 'latest') return LATEST;
    if (q.kind === 'version') await this.versions.get(name, q.version);
    else await this.aliases.get(name, q.alias);
    return qualifier!;
  }

  arn(name: string, qualifier: string): string {
    return this.functions.arn(name, qualifier);
  }

  async put(name: string, qualifier: string, s: EventInvokeSettings): Promise<EventInvokeConfig> {
    await this.functions.get(name);
    if (s.maximumRetryAttempts === undefined && s.maximumEventAgeInSeconds === undefined && s.destinations === undefined) {
      throw Errors.invalidParameter('You must specify at least one of error handling or destination setting.');
    }
    return this.save({ functionName: name, qualifier, lastModified: 0 }, s);
  }

  async update(name: string, qualifier: string, s: EventInvokeSettings): Promise<EventInvokeConfig> {
    await this.functions.get(name);
    const current = await this.repo.get(name, qualifier);
    if (!current) throw Errors.eventInvokeConfigNotFound(this.arn(name, qualifier));
    return this.save(current, s);
  }

  async get(name: string, qualifier: string): Promise<EventInvokeConfig> {
    await this.functions.get(name);
    const config = await this.repo.get(name, qualifier);
    if (!config) throw Errors.eventInvokeConfigNotFound(this.arn(name, qualifier));
    return config;
  }

  async delete(name: string, qualifier: string): Promise<void> {
    await this.functions.get(name);
    if (!(await this.repo.delete(name, qualifier))) throw Errors.eventInvokeConfigNotFound(this.arn(name, qualifier));
  }

  async list(name: string, marker: string | undefined, maxItems: number): Promise<{ configs: EventInvokeConfig[]; nextMarker?: string }> {
    await this.functions.get(name);
    const page = await this.repo.list(name, marker, maxItems + 1);
    const configs = page.slice(0, maxItems);
    return page.length > maxItems ? { configs, nextMarker: configs[configs.length - 1]!.qualifier } : { configs };
  }

  /** A deleted function's configs go with it, so that a new function of the same name starts without them. */
  async forget(name: string): Promise<void> {
    for (const c of await this.repo.list(name, undefined, 1000)) await this.repo.delete(name, c.qualifier);
  }

  async effective(name: string, qualifier: string): Promise<EffectiveConfig> {
    const c = await this.repo.get(name, qualifier);
    return {
      maximumRetryAttempts: c?.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
      maximumEventAgeMs: (c?.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000,
      ...(c?.onSuccess ? { onSuccess: c.onSuccess } : {}),
      ...(c?.onFailure ? { onFailure: c.onFailure } : {}),
    };
  }

  private async save(base: EventInvokeConfig, s: EventInvokeSettings): Promise<EventInvokeConfig> {
    const next: EventInvokeConfig = { ...base, lastModified: this.clock.now() };
    if (s.maximumRetryAttempts !== undefined) next.maximumRetryAttempts = s.maximumRetryAttempts;
    if (s.maximumEventAgeInSeconds !== undefined) next.maximumEventAgeInSeconds = s.maximumEventAgeInSeconds;
    if (s.destinations !== undefined) {
      delete next.onSuccess;
      delete next.onFailure;
      const { onSuccess, onFailure } = s.destinations;
      if (onSuccess) {
        await this.destinations.check(onSuccess);
        next.onSuccess = onSuccess;
      }
      if (onFailure) {
        await this.destinations.check(onFailure);
        next.onFailure = onFailure;
      }
    }
    await this.repo.put(next);
    return next;
  }
}
