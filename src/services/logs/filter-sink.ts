/**
 * Every log event on its way to the store (function lines, PutLogEvents, access logs) passes its
 * group's metric filters, whose values are published as CloudWatch metrics, and its subscription
 * filters, whose matches go to their destinations. The filters are held in memory, read from the
 * store at start, again for a group whenever one of its filters changes on this node, and all of them
 * every `refreshMs` (so that the other nodes of a fleet see a change).
 */
import type { Clock, Timer } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { LogFilterStore } from '../../storage/log-filter-repo.js';
import type { LogRecord } from '../../storage/store.js';
import type { Publication } from '../../telemetry/cloudwatch/published-metrics.js';
import { compileFilterPattern, type FilterMatcher } from '../../telemetry/filter-pattern/index.js';
import type { LogSink } from '../../telemetry/log-sink.js';
import { compileMetricFilter, type LogEvent, type MetricFilterRun } from './metric-filters.js';
import { filterPrefix, type SubscriptionFilterRecord } from './model.js';

/** Where a subscription filter's matching events go (see subscriptions.ts). */
export interface SubscriptionSender {
  send(filter: SubscriptionFilterRecord, record: LogRecord, events: readonly LogEvent[]): void;
  /** Whether a record's lines must not go to any subscription (lines of a delivery's own invocation). */
  excluded(record: LogRecord): boolean;
}

interface GroupFilters {
  metric: MetricFilterRun[];
  subscription: { record: SubscriptionFilterRecord; match: FilterMatcher }[];
}

const PAGE = 100;

async function listAll<T>(list: (after: string | undefined) => Promise<{ key: string; value: T }[]>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await list(after);
    out.push(...page.map((p) => p.value));
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!.key;
  }
}

export class LogFilterSink implements LogSink {
  private groups = new Map<string, GroupFilters>();
  private readonly ready: Promise<void>;
  private loaded = false;
  private readonly pending = new Set<Promise<void>>();
  private timer: Timer | undefined;
  private stopped = false;
  /** Counts local changes, so that a refresh read before one does not undo it. */
  private changes = 0;

  constructor(
    private readonly next: LogSink,
    private readonly store: LogFilterStore,
    private readonly publish: (metrics: Publication[]) => Promise<void>,
    private readonly subscriptions: SubscriptionSender | undefined,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly refreshMs = 10_000,
  ) {
    this.ready = this.refresh().then(() => void (this.loaded = true));
  }

  append(record: LogRecord): void {
    this.next.append(record);
    // The hot path: a group without filters costs one lookup.
    if (this.loaded && !this.groups.has(record.functionName)) return;
    this.track(this.ready.then(() => this.run(record)));
  }

  /** Reads a group's filters again after one of them changed. */
  async reload(group: string): Promise<void> {
    await this.ready;
    this.changes++;
    const g = (await this.read(filterPrefix(group))).get(group);
    if (g) this.groups.set(group, g);
    else this.groups.delete(group);
  }

  /** Stops refreshing; resolves once every event appended so far has been through its filters. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async refresh(): Promise<void> {
    try {
      const before = this.changes;
      const groups = await this.read('');
      if (this.changes === before) this.groups = groups;
    } catch (err) {
      this.logger.error('could not read log filters', { error: String(err) });
    }
    if (!this.stopped) this.timer = this.clock.setTimeout(() => void this.refresh(), this.refreshMs);
  }

  private track(work: Promise<void>): void {
    const p = work
      .catch((err: unknown) => this.logger.warn('log filters failed', { error: String(err) }))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private async read(prefix: string): Promise<Map<string, GroupFilters>> {
    const groups = new Map<string, GroupFilters>();
    const key = (r: { group: string; filterName: string }) => `${r.group}:${r.filterName}`;
    const metric = await listAll(async (after) => (await this.store.metricFilters.list(prefix, after, PAGE)).map((r) => ({ key: key(r.value), value: r.value })));
    const subscription = await listAll(async (after) => (await this.store.subscriptionFilters.list(prefix, after, PAGE)).map((r) => ({ key: key(r.value), value: r.value })));
    const of = (group: string) => {
      let g = groups.get(group);
      if (!g) groups.set(group, (g = { metric: [], subscription: [] }));
      return g;
    };
    for (const r of metric) of(r.group).metric.push(compileMetricFilter(r));
    for (const r of subscription) of(r.group).subscription.push({ record: r, match: compileFilterPattern(r.filterPattern) });
    return groups;
  }

  private async run(record: LogRecord): Promise<void> {
    const g = this.groups.get(record.functionName);
    if (!g) return;
    const metrics = g.metric.flatMap((run) => run(record.lines));
    if (this.subscriptions && g.subscription.length > 0 && !this.subscriptions.excluded(record)) {
      for (const s of g.subscription) {
        const events = record.lines.filter((l) => s.match(l.message));
        if (events.length > 0) this.subscriptions.send(s.record, record, events);
      }
    }
    if (metrics.length > 0) await this.publish(metrics);
  }
}
