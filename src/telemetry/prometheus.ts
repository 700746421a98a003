/**
 * The Prometheus exposition: counters and histograms fed by every invocation since the server
 * started (Prometheus expects counters to reset on restart), and gauges read at scrape time.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AsyncMetrics } from '../async/async-metrics.js';
import type { ClosedInvocation } from '../domain/invocation.js';
import type { FunctionService } from '../functions/function-service.js';
import type { ConcurrencyLimiter } from '../invoke/concurrency.js';
import type { QueueService } from '../services/sqs/queue-service.js';
import type { Publication } from './cloudwatch/published-metrics.js';
import { gbSeconds, type InvocationMetrics, type InvokedTarget } from './metrics.js';

export interface ScrapeSources {
  /** Every function's name. */
  functionNames(): Promise<string[]>;
  /** Concurrent executions of a function right now. */
  inUse(functionName: string): number;
  /** Every queue with its visible messages and the age of its oldest message. */
  queues(): Promise<{ name: string; visible: number; oldestAgeSeconds: number }[]>;
}

const LABELS = ['function', 'version', 'alias'] as const;
const PUBLISHED_LABELS = ['namespace', 'metric', 'unit', 'dimensions'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/** Invocations counted before the pending counts go to prom-client even without a scrape. */
const FLUSH_EVERY = 1000;

interface PendingSeries {
  labels: Labels;
  invocations: number;
  errors: number;
  throttles: number;
  coldStarts: number;
  billedMs: number;
  gbSeconds: number;
  /** The latest invocation's, as the gauge shows it. */
  maxMemoryMb: number | undefined;
}

const DURATION_BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000];

export class PrometheusMetrics implements InvocationMetrics, AsyncMetrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private readonly invocations = this.counter('invocations_total', 'Invocations that ran, errors included.');
  private readonly errors = this.counter('errors_total', 'Invocations that ended in a function or platform error (timeouts included).');
  private readonly throttles = this.counter('throttles_total', 'Invocations refused for lack of concurrency.');
  private readonly coldStarts = this.counter('cold_starts_total', 'Invocations that started a new environment.');
  private readonly billed = this.counter('billed_duration_milliseconds_total', 'Billed duration.');
  private readonly gbs = this.counter('gb_seconds_total', 'Billed duration times memory, in GB-seconds.');
  private readonly duration = new Histogram({
    name: 'selfless_duration_milliseconds',
    help: 'Duration of invocations.',
    labelNames: LABELS,
    buckets: DURATION_BUCKETS_MS,
    registers: [this.registry],
  });
  private readonly initDuration = new Histogram({
    name: 'selfless_init_duration_milliseconds',
    help: 'Init duration of cold starts.',
    labelNames: LABELS,
    buckets: DURATION_BUCKETS_MS,
    registers: [this.registry],
  });
  private readonly maxMemory = new Gauge({
    name: 'selfless_max_memory_used_megabytes',
    help: 'Max memory used by the latest invocation.',
    labelNames: LABELS,
    registers: [this.registry],
  });

  private readonly asyncReceived = this.functionCounter('async_events_received_total', 'Asynchronous events queued (AsyncEventsReceived).');
  private readonly asyncDropped = this.functionCounter('async_events_dropped_total', 'Asynchronous events that ended failed or expired (AsyncEventsDropped).');
  private readonly destinationFailures = this.functionCounter('destination_delivery_failures_total', 'Destination records that could not be delivered.');
  private readonly deadLetterErrors = this.functionCounter('dead_letter_errors_total', 'Dead-letter messages that could not be sent.');
  private readonly asyncEventAge = new Gauge({
    name: 'selfless_async_event_age_milliseconds',
    help: 'Age of the latest asynchronous event when it ran (AsyncEventAge).',
    labelNames: ['function'],
    registers: [this.registry],
  });

  private readonly publishedSum = new Counter({
    name: 'selfless_published_metric_sum',
    help: 'Sum of the values published to a metric (PutMetricData, EMF lines).',
    labelNames: PUBLISHED_LABELS,
    registers: [this.registry],
  });
  private readonly publishedCount = new Counter({
    name: 'selfless_published_metric_samples_total',
    help: 'Values published to a metric (PutMetricData, EMF lines).',
    labelNames: PUBLISHED_LABELS,
    registers: [this.registry],
  });

  constructor(sources: ScrapeSources) {
    new Gauge({
      name: 'selfless_concurrent_executions',
      help: 'Invocations of a function running now.',
      labelNames: ['function'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const name of await sources.functionNames()) this.set({ function: name }, sources.inUse(name));
      },
    });
    new Gauge({
      name: 'selfless_queue_messages',
      help: 'Messages available in a queue (ApproximateNumberOfMessages).',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of await sources.queues()) this.set({ queue: q.name }, q.visible);
      },
    });
    new Gauge({
      name: 'selfless_queue_oldest_message_age_seconds',
      help: 'Age of the oldest message in a queue (ApproximateAgeOfOldestMessage).',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of await sources.queues()) this.set({ queue: q.name }, q.oldestAgeSeconds);
      },
    });
  }

  /**
   * Counts an invocation. The counters of a series add up here and reach prom-client in one step
   * per series (at each scrape, or every FLUSH_EVERY invocations): its per-call label hashing would
   * otherwise cost the invoke path a dozen hashes. Histograms take each observation at once.
   */
  invoked(target: InvokedTarget, result: ClosedInvocation): void {
    const s = this.seriesOf(target);
    const r = result.report;
    s.invocations++;
    if (!result.outcome.ok) s.errors++;
    this.duration.observe(s.labels, r.durationMs);
    if (r.initDurationMs !== undefined) {
      s.coldStarts++;
      this.initDuration.observe(s.labels, r.initDurationMs);
    }
    s.maxMemoryMb = r.maxMemoryUsedMb;
    s.billedMs += r.billedDurationMs;
    s.gbSeconds += gbSeconds(r.billedDurationMs, r.memorySizeMb);
    if (++this.unflushed >= FLUSH_EVERY) this.flushCounts();
  }

  throttled(target: InvokedTarget): void {
    this.seriesOf(target).throttles++;
    if (++this.unflushed >= FLUSH_EVERY) this.flushCounts();
  }

  /** Counts not yet added to prom-client's counters, by series (function, version, alias). */
  private readonly pending = new Map<string, PendingSeries>();
  private unflushed = 0;

  private seriesOf(t: InvokedTarget): PendingSeries {
    const key = `${t.functionName}\0${t.version}\0${t.alias ?? ''}`;
    let s = this.pending.get(key);
    if (s === undefined) {
      const l = labels(t);
      // Every counter of a series exists from its first invocation, at 0.
      this.zeroes(l);
      s = { labels: l, invocations: 0, errors: 0, throttles: 0, coldStarts: 0, billedMs: 0, gbSeconds: 0, maxMemoryMb: undefined };
      this.pending.set(key, s);
    }
    return s;
  }

  /** Adds the pending counts to prom-client's counters and starts the series afresh. */
  private flushCounts(): void {
    this.unflushed = 0;
    for (const s of this.pending.values()) {
      const l = s.labels;
      if (s.invocations > 0) this.invocations.inc(l, s.invocations);
      if (s.errors > 0) this.errors.inc(l, s.errors);
      if (s.throttles > 0) this.throttles.inc(l, s.throttles);
      if (s.coldStarts > 0) this.coldStarts.inc(l, s.coldStarts);
      if (s.billedMs > 0) this.billed.inc(l, s.billedMs);
      if (s.gbSeconds > 0) this.gbs.inc(l, s.gbSeconds);
      if (s.maxMemoryMb !== undefined) this.maxMemory.set(l, s.maxMemoryMb);
    }
    // Series seen again after this are zeroed again: harmless (inc by 0), and keeps the map small.
    this.pending.clear();
  }

  received(functionName: string): void {
    const l = { function: functionName };
    for (const c of [this.asyncDropped, this.destinationFailures, this.deadLetterErrors]) c.inc(l, 0);
    this.asyncReceived.inc(l);
  }

  /**
   * A series exists only once incremented, and `rate()` over a missing series is empty, not 0: every
   * counter of a function starts at 0 with its first invocation, so alerts on errors work before the first one.
   */
  private zeroes(l: Labels): void {
    for (const c of [this.invocations, this.errors, this.throttles, this.coldStarts, this.billed, this.gbs]) c.inc(l, 0);
  }

  attempted(functionName: string, ageMs: number): void {
    this.asyncEventAge.set({ function: functionName }, ageMs);
  }

  dropped(functionName: string): void {
    this.asyncDropped.inc({ function: functionName });
  }

  destinationFailed(functionName: string): void {
    this.destinationFailures.inc({ function: functionName });
  }

  deadLetterFailed(functionName: string): void {
    this.deadLetterErrors.inc({ function: functionName });
  }

  /** A published metric's values; its dimensions in one label, since each metric has its own set. */
  published(p: Publication): void {
    const l = { namespace: p.namespace, metric: p.metricName, unit: p.unit, dimensions: p.dimensions.map((d) => `${d.name}=${d.value}`).join(',') };
    this.publishedSum.inc(l, p.values.sum);
    this.publishedCount.inc(l, p.values.sampleCount);
  }

  /** The exposition text. */
  scrape(): Promise<string> {
    this.flushCounts();
    return this.registry.metrics();
  }

  private counter(name: string, help: string): Counter<(typeof LABELS)[number]> {
    return new Counter({ name: `selfless_${name}`, help, labelNames: LABELS, registers: [this.registry] });
  }

  private functionCounter(name: string, help: string): Counter<'function'> {
    return new Counter({ name: `selfless_${name}`, help, labelNames: ['function'], registers: [this.registry] });
  }
}

/** An invocation not made through an alias has `alias=""`, so `sum by (function)` counts each once. */
const labels = (t: InvokedTarget): Labels => ({ function: t.functionName, version: t.version, alias: t.alias ?? '' });

export const scrapeSources = (functions: FunctionService, limiter: ConcurrencyLimiter, queues: QueueService): ScrapeSources => ({
  functionNames: () => allFunctionNames(functions),
  inUse: (name) => limiter.inUse(name),
  queues: () => queueGauges(queues),
});

async function allFunctionNames(functions: FunctionService): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await functions.list(marker, 1000);
    names.push(...page.functions.map((f) => f.name));
    marker = page.nextMarker;
  } while (marker !== undefined);
  return names;
}

async function queueGauges(queues: QueueService): Promise<{ name: string; visible: number; oldestAgeSeconds: number }[]> {
  const { urls } = await queues.list('', undefined, undefined);
  const attributes = ['ApproximateNumberOfMessages', 'ApproximateAgeOfOldestMessage'];
  const read = async (url: string) => {
    const a = await queues.getAttributes(url, attributes).catch(() => undefined); // deleted since listed
    return a && { name: url.slice(url.lastIndexOf('/') + 1), visible: Number(a['ApproximateNumberOfMessages']), oldestAgeSeconds: Number(a['ApproximateAgeOfOldestMessage']) };
  };
  return (await Promise.all(urls.map(read))).filter((q) => q !== undefined);
}
