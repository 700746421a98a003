/**
 * Event source mappings: create, read, change and delete them (write-through to the store, all kept
 * in memory), and run one poller for each enabled mapping, restarted with the server. What differs
 * between a queue and a stream lives in its EventSourceKind (./sources.ts).
 *
 * On a fleet, each node reads the store again after each heartbeat (refresh()), taking in mappings
 * created, changed or deleted through the others. A queue's poller runs on every node; a stream's
 * only on the node holding the mapping's lease, which resumes from the stored checkpoints.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
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
  /** On a fleet: the leases by which one node at a time polls a mapping of a kind that `pollsOnOneNode`. */
  leases?: MappingLeases | undefined;
}

/** One lease per mapping, renewed on each heartbeat (see refresh()). */
export interface MappingLeases {
  /** Takes or renews the mapping's lease: whether this node holds it now. */
  take(uuid: string): Promise<boolean>;
  release(uuid: string): Promise<void>;
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
      await this.o.leases?.release(uuid);
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

  /** Settles after the response is sent, one settle at a time per mapping (then `after`). */
  private settleLater(uuid: string, record = true, after?: () => Promise<void>): void {
    const previous = this.settling.get(uuid) ?? Promise.resolve();
    const next = previous
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.settle(uuid, record))
      .then(after)
      .catch((err: unknown) => this.o.logger.error('event source mapping did not settle', { uuid, error: String(err) }))
      .finally(() => {
        if (this.settling.get(uuid) === next) this.settling.delete(uuid);
      });
    this.settling.set(uuid, next);
  }

  /**
   * (Re)starts or stops the mapping's poller, then records the stable state it reached (`record`:
   * the change was made through this node; one read from the store is another node's to record).
   */
  private async settle(uuid: string, record = true): Promise<void> {
    const old = this.pollers.get(uuid);
    this.pollers.delete(uuid);
    await old?.stop();
    const m = this.mappings.get(uuid);
    if (this.stopped) return;
    if (!m?.enabled) {
      await this.o.leases?.release(uuid); // if this node held it
      if (!m) return;
    } else {
      const here = !this.pollsOnOneNode(m) || !this.o.leases || (await this.o.leases.take(uuid));
      // A new stream mapping places its shards at its StartingPosition before it reports Enabled, wherever it runs.
      const poller = here || (record && m.state === 'Creating') ? await this.pollerFor(m) : undefined;
      if (this.mappings.get(uuid) !== m || this.stopped) return; // changed meanwhile: the next settle starts it
      if (here && poller) {
        this.pollers.set(uuid, poller);
        poller.start();
      }
    }
    const state: MappingState = m.enabled ? 'Enabled' : 'Disabled';
    if (record && m.state !== state && this.mappings.get(uuid) === m) {
      const settled = { ...m, state };
      this.mappings.set(uuid, settled);
      await this.o.repo.update(settled);
    }
  }

  /**
   * After each heartbeat of a fleet: takes in the mappings created, changed or deleted through other
   * nodes, and renews (or takes, or finds lost) the leases of those polled on one node at a time.
   */
  async refresh(): Promise<void> {
    if (this.stopped) return;
    const stored = new Map((await this.o.repo.all()).filter((m) => m.state !== 'Deleting').map((m) => [m.uuid, m]));
    for (const uuid of [...this.mappings.keys()]) {
      if (stored.has(uuid) || this.settling.has(uuid)) continue;
      // Deleted through another node: its poller stops here, and what it kept goes.
      const m = this.mappings.get(uuid)!;
      this.mappings.delete(uuid);
      this.results.delete(uuid);
      this.settleLater(uuid, false, () => this.kindOf(m.eventSourceArn).forget(uuid));
    }
    for (const m of stored.values()) {
      if (this.settling.has(m.uuid)) continue; // a change through this node is under way
      const known = this.mappings.get(m.uuid);
      this.mappings.set(m.uuid, m);
      if (!known || !sameSettings(known, m)) {
        this.settleLater(m.uuid, false);
      } else if (m.enabled && this.o.leases && this.pollsOnOneNode(m)) {
        if ((await this.o.leases.take(m.uuid)) !== this.pollers.has(m.uuid)) this.settleLater(m.uuid, false);
      }
    }
  }

  private pollsOnOneNode(m: EventSourceMapping): boolean {
    return this.kindOf(m.eventSourceArn).pollsOnOneNode;
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

/** Whether two records of a mapping ask the same of its poller (its state and tags aside). */
function sameSettings(a: EventSourceMapping, b: EventSourceMapping): boolean {
  const settings = ({ state, stateTransitionReason, tags, ...rest }: EventSourceMapping) => rest;
  return isDeepStrictEqual(settings(a), settings(b));
}

const encodeMarker = (uuid: string): string => Buffer.from(uuid, 'utf8').toString('base64url');
const decodeMarker = (marker: string): string => Buffer.from(marker, 'base64url').toString('utf8');
