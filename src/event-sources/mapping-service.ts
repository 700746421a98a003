/**
 * Event source mappings: create, read, change and delete them (write-through to the store, all kept
 * in memory), and run one poller for each enabled mapping, restarted with the server. What differs
 * between a queue and a stream lives in its EventSourceKind (./sources.ts).
 */
import { randomUUID } from 'node:crypto';
import { classifyQualifier } from '../domain/qualifier.js';
import type { FunctionService } from '../functions/function-service.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { EventSourceMappingRepo } from '../storage/store.js';
import type { FunctionRef } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';
import type { EventSourceMapping, MappingSettings, MappingState, StreamSettings } from './model.js';
import type { EventSourcePoller, PollerInvoker } from './poller.js';
import type { EventSourceKind } from './sources.js';

export interface MappingServiceOptions {
  repo: EventSourceMappingRepo;
  functions: FunctionService;
  invoker: PollerInvoker;
  /** The kinds of source a mapping can read, asked in order which claims an ARN. */
  sources: readonly EventSourceKind[];
  clock: Clock;
  logger: Logger;
  region: string;
  accountId: string;
  /** Where stream mappings report their IteratorAge. */
  metrics?: { iteratorAge(functionName: string, ageMs: number): void } | undefined;
}

export interface NewMapping extends Partial<Omit<MappingSettings, 'stream'>> {
  function: FunctionRef;
  eventSourceArn: string;
  tags?: Record<string, string>;
  stream?: Partial<StreamSettings>;
}

export interface MappingChanges extends Partial<Omit<MappingSettings, 'stream'>> {
  function?: FunctionRef;
  stream?: Partial<StreamSettings>;
}

export interface MappingView {
  mapping: EventSourceMapping;
  lastProcessingResult: string;
}

const USER_INITIATED = 'USER_INITIATED';

export class EventSourceMappingService {
  private readonly mappings = new Map<string, EventSourceMapping>();
  private readonly results = new Map<string, string>();
  private readonly pollers = new Map<string, EventSourcePoller>();
  private readonly settling = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly o: MappingServiceOptions) {}

  /** Loads the mappings and starts the pollers of enabled ones. */
  async start(): Promise<void> {
    for (const m of await this.o.repo.all()) {
      if (m.state === 'Deleting') {
        await this.o.sources.find((k) => k.claims(m.eventSourceArn))?.forget(m.uuid);
        await this.o.repo.delete(m.uuid);
        continue;
      }
      this.mappings.set(m.uuid, m);
      await this.settle(m.uuid);
    }
  }

  /** Stops every poller: no new receives or invocations; waits (up to `graceMs`) for batches under way. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    const stopping = [...this.pollers.values()].map((p) => p.stop());
    this.pollers.clear();
    await Promise.race([Promise.allSettled(stopping), new Promise<void>((resolve) => this.o.clock.setTimeout(resolve, graceMs))]);
  }

  /** The request members Lambda refuses for the kind of source `arn` names. */
  refusedMembers(arn: string): readonly string[] {
    return this.kindOf(arn).refusedMembers;
  }

  async create(input: NewMapping): Promise<MappingView> {
    const kind = this.kindOf(input.eventSourceArn);
    await kind.check(input.eventSourceArn);
    await this.checkFunction(input.function);
    const defaults = kind.defaults();
    const stream = defaults.stream ? { ...defaults.stream, ...input.stream } : undefined;
    const settings: MappingSettings = {
      enabled: input.enabled ?? true,
      batchSize: input.batchSize ?? defaults.batchSize,
      maximumBatchingWindowInSeconds: input.maximumBatchingWindowInSeconds ?? defaults.maximumBatchingWindowInSeconds,
      reportBatchItemFailures: input.reportBatchItemFailures ?? false,
      filters: input.filters ?? [],
      ...(input.maximumConcurrency !== undefined ? { maximumConcurrency: input.maximumConcurrency } : {}),
      ...(stream ? { stream } : {}),
    };
    await kind.validate(settings, input.eventSourceArn);
    this.checkUnique(kind, input.eventSourceArn, input.function);
    const mapping: EventSourceMapping = {
      uuid: randomUUID(),
      functionName: input.function.name,
      ...(input.function.qualifier !== undefined ? { qualifier: input.function.qualifier } : {}),
      eventSourceArn: input.eventSourceArn,
      state: 'Creating',
      stateTransitionReason: USER_INITIATED,
      lastModified: this.o.clock.now(),
      ...settings,
      tags: input.tags ?? {},
    };
    await this.o.repo.create(mapping);
    this.mappings.set(mapping.uuid, mapping);
    this.results.set(mapping.uuid, 'No records processed');
    const view = this.view(mapping);
    this.settleLater(mapping.uuid);
    return view;
  }

  get(uuid: string): MappingView {
    return this.view(this.find(uuid));
  }

  /** Mappings in creation order, optionally of one function and/or one source, one page after `marker`. */
  list(filter: { function?: FunctionRef; eventSourceArn?: string }, marker: string | undefined, maxItems: number): { items: MappingView[]; nextMarker?: string } {
    const all = [...this.mappings.values()].filter(
      (m) =>
        (filter.eventSourceArn === undefined || m.eventSourceArn === filter.eventSourceArn) &&
        (filter.function === undefined ||
          (m.functionName === filter.function.name && (filter.function.qualifier === undefined || m.qualifier === filter.function.qualifier))),
    );
    let start = 0;
    if (marker !== undefined) {
      const after = decodeMarker(marker);
      start = all.findIndex((m) => m.uuid === after) + 1;
      if (start === 0) throw Errors.invalidParameter('Invalid Marker.');
    }
    const page = all.slice(start, start + maxItems);
    const more = start + maxItems < all.length;
    return { items: page.map((m) => this.view(m)), ...(more ? { nextMarker: encodeMarker(page[page.length - 1]!.uuid) } : {}) };
  }

  async update(uuid: string, changes: MappingChanges): Promise<MappingView> {
    const current = this.find(uuid);
    const kind = this.kindOf(current.eventSourceArn);
    await kind.check(current.eventSourceArn);
    if (changes.function) {
      await this.checkFunction(changes.function);
      this.checkUnique(kind, current.eventSourceArn, changes.function, uuid);
    }
    const next: EventSourceMapping = { ...current };
    if (changes.function) {
      next.functionName = changes.function.name;
      if (changes.function.qualifier !== undefined) next.qualifier = changes.function.qualifier;
      else delete next.qualifier;
    }
    if (changes.enabled !== undefined) next.enabled = changes.enabled;
    if (changes.batchSize !== undefined) next.batchSize = changes.batchSize;
    if (changes.maximumBatchingWindowInSeconds !== undefined) next.maximumBatchingWindowInSeconds = changes.maximumBatchingWindowInSeconds;
    if (changes.reportBatchItemFailures !== undefined) next.reportBatchItemFailures = changes.reportBatchItemFailures;
    if (changes.filters !== undefined) next.filters = changes.filters;
    if ('maximumConcurrency' in changes) {
      if (changes.maximumConcurrency === undefined) delete next.maximumConcurrency;
      else next.maximumConcurrency = changes.maximumConcurrency;
    }
    if (changes.stream && current.stream) next.stream = { ...current.stream, ...changes.stream };
    await kind.validate(next, next.eventSourceArn);
    const toggled = next.enabled !== current.enabled;
    next.state = toggled ? (next.enabled ? 'Enabling' : 'Disabling') : 'Updating';
    next.stateTransitionReason = USER_INITIATED;
    next.lastModified = this.o.clock.now();
    await this.o.repo.update(next);
    this.mappings.set(uuid, next);
    const view = this.view(next);
    this.settleLater(uuid);
    return view;
  }

  /** Replaces a mapping's tags; its state and settings stay as they are. */
  async setTags(uuid: string, tags: Record<string, string>): Promise<void> {
    const next: EventSourceMapping = { ...this.find(uuid), tags };
    this.mappings.set(uuid, next);
    // A settle under way gives up on a record replaced meanwhile: it is settled again.
    if (this.settling.has(uuid)) this.settleLater(uuid);
    await this.o.repo.update(next);
  }

  async delete(uuid: string): Promise<MappingView> {
    const current = this.find(uuid);
    const deleting: EventSourceMapping = { ...current, state: 'Deleting', stateTransitionReason: USER_INITIATED };
    const view = this.view(deleting);
    this.mappings.delete(uuid);
    this.results.delete(uuid);
    await this.o.repo.update(deleting);
    const poller = this.pollers.get(uuid);
    this.pollers.delete(uuid);
    void (async () => {
      await poller?.stop();
      await this.kindOf(current.eventSourceArn).forget(uuid);
      await this.o.repo.delete(uuid);
    })().catch((err: unknown) => this.o.logger.warn('could not finish deleting an event source mapping', { uuid, error: String(err) }));
    return view;
  }

  /** One mapping per source and function (qualifier included), as Lambda allows. */
  private checkUnique(kind: EventSourceKind, eventSourceArn: string, fn: FunctionRef, except?: string): void {
    const duplicate = [...this.mappings.values()].find(
      (m) => m.uuid !== except && m.eventSourceArn === eventSourceArn && m.functionName === fn.name && m.qualifier === fn.qualifier,
    );
    if (duplicate) {
      throw Errors.resourceConflict(
        `An event source mapping with ${kind.label} arn (" ${eventSourceArn} ") and function (" ${fn.name} ") already exists. Please update or delete the existing mapping with UUID ${duplicate.uuid}`,
      );
    }
  }

  private find(uuid: string): EventSourceMapping {
    const m = this.mappings.get(uuid);
    if (!m) throw Errors.resourceNotFound('The resource you requested does not exist.');
    return m;
  }

  private view(mapping: EventSourceMapping): MappingView {
    return { mapping, lastProcessingResult: this.results.get(mapping.uuid) ?? 'No records processed' };
  }

  /** Settles after the response is sent, one settle at a time per mapping. */
  private settleLater(uuid: string): void {
    const previous = this.settling.get(uuid) ?? Promise.resolve();
    const next = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.settle(uuid))
      .catch((err: unknown) => this.o.logger.error('event source mapping did not settle', { uuid, error: String(err) }))
      .finally(() => {
        if (this.settling.get(uuid) === next) this.settling.delete(uuid);
      });
    this.settling.set(uuid, next);
  }

  /** (Re)starts or stops the mapping's poller, then records the stable state it reached. */
  private async settle(uuid: string): Promise<void> {
    const old = this.pollers.get(uuid);
    this.pollers.delete(uuid);
    await old?.stop();
    const m = this.mappings.get(uuid);
    if (!m || this.stopped) return;
    if (m.enabled) {
      const poller = await this.pollerFor(m);
      if (this.mappings.get(uuid) !== m || this.stopped) return; // changed meanwhile: the next settle starts it
      this.pollers.set(uuid, poller);
      poller.start();
    }
    const state: MappingState = m.enabled ? 'Enabled' : 'Disabled';
    if (m.state !== state && this.mappings.get(uuid) === m) {
      const settled = { ...m, state };
      this.mappings.set(uuid, settled);
      await this.o.repo.update(settled);
    }
  }

  private pollerFor(m: EventSourceMapping): Promise<EventSourcePoller> {
    return this.kindOf(m.eventSourceArn).poller(m, {
      invoker: this.o.invoker,
      clock: this.o.clock,
      logger: this.o.logger,
      region: this.o.region,
      mappingUuid: m.uuid,
      functionArn: (ref) => `arn:aws:lambda:${this.o.region}:${this.o.accountId}:function:${ref.name}${ref.qualifier !== undefined ? `:${ref.qualifier}` : ''}`,
      report: (result) => {
        if (this.mappings.has(m.uuid)) this.results.set(m.uuid, result);
      },
      iteratorAge: (ageMs) => this.o.metrics?.iteratorAge(m.functionName, ageMs),
    });
  }

  private kindOf(arn: string): EventSourceKind {
    const kind = this.o.sources.find((k) => k.claims(arn));
    if (!kind) {
      throw Errors.invalidParameter(
        `Unsupported event source: ${arn}. Selfless maps SQS queues, Kinesis streams and DynamoDB streams of its own services.`,
      );
    }
    return kind;
  }

  private async checkFunction(ref: FunctionRef): Promise<void> {
    await this.o.functions.get(ref.name);
    if (classifyQualifier(ref.qualifier).kind !== 'latest') await this.o.invoker.resolve(ref);
  }
}

const encodeMarker = (uuid: string): string => Buffer.from(uuid, 'utf8').toString('base64url');
const decodeMarker = (marker: string): string => Buffer.from(marker, 'base64url').toString('utf8');
