/**
 * Per-function metrics, as CloudWatch keeps them for Lambda: one-minute points per function, per
 * executed version and per alias, aggregated in memory and written to the store every few seconds.
 */
import type { AsyncMetrics } from '../async/async-metrics.js';
import type { ClosedInvocation } from '../domain/invocation.js';
import type { Clock, Timer } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';

export const MINUTE_MS = 60_000;

/** Where an invocation ran: the function, the version that executed, and the alias it came through. */
export interface InvokedTarget {
  functionName: string;
  version: string;
  alias?: string | undefined;
}

/** What the invoke path reports: once per invocation that ran (when its log closes), once per throttled one. */
export interface InvocationMetrics {
  invoked(target: InvokedTarget, result: ClosedInvocation, concurrentExecutions: number): void;
  throttled(target: InvokedTarget): void;
}

export type DimensionKind = 'function' | 'version' | 'alias';

/** One minute of one dimension. Sums and maxima, so that points of the same minute merge. */
export interface MetricPoint {
  functionName: string;
  kind: DimensionKind;
  /** The version or alias name; empty for the function as a whole. */
  value: string;
  /** Epoch milliseconds at the start of the minute. */
  minute: number;
  invocations: number;
  errors: number;
  throttles: number;
  durationSumMs: number;
  durationMaxMs: number;
  /** Counts per bucket of DURATION_BOUNDS_MS (the last one counts durations above every bound). */
  durationBuckets: number[];
  coldStarts: number;
  initDurationSumMs: number;
  maxMemoryUsedMb: number;
  billedDurationMs: number;
  gbSeconds: number;
  maxConcurrentExecutions: number;
  /** Asynchronous invocation, on the function dimension only. */
  asyncEventsReceived: number;
  asyncEventAgeMaxMs: number;
  asyncEventsDropped: number;
  destinationDeliveryFailures: number;
  deadLetterErrors: number;
  /** Stream event source mappings, on the function dimension only: batches sent, and the oldest last record's age. */
  streamBatches: number;
  iteratorAgeMaxMs: number;
}

export interface MetricsRepo {
  /** Adds the points to those already stored for the same function, dimension and minute. */
  merge(points: readonly MetricPoint[]): Promise<void>;
  /** A function's points from `sinceMinute` on, every dimension. */
  query(functionName: string, sinceMinute: number): Promise<MetricPoint[]>;
  /** Deletes points of minutes before `minute`; returns how many. */
  deleteBefore(minute: number): Promise<number>;
}

/**
 * Upper bounds of the duration buckets: 0.1 ms growing by 20% up to 15 minutes, so a percentile
 * read from them is within 20% of the exact one. Stored points index these: never change them.
 */
export const DURATION_BOUNDS_MS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let b = 0.1; b < 900_000 * 1.2; b *= 1.2) bounds.push(Number(b.toPrecision(4)));
  return bounds;
})();

export function bucketOf(durationMs: number): number {
  let lo = 0;
  let hi = DURATION_BOUNDS_MS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (durationMs <= DURATION_BOUNDS_MS[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export const emptyPoint = (functionName: string, kind: DimensionKind, value: string, minute: number): MetricPoint => ({
  functionName,
  kind,
  value,
  minute,
  invocations: 0,
  errors: 0,
  throttles: 0,
  durationSumMs: 0,
  durationMaxMs: 0,
  durationBuckets: [],
  coldStarts: 0,
  initDurationSumMs: 0,
  maxMemoryUsedMb: 0,
  billedDurationMs: 0,
  gbSeconds: 0,
  maxConcurrentExecutions: 0,
  asyncEventsReceived: 0,
  asyncEventAgeMaxMs: 0,
  asyncEventsDropped: 0,
  destinationDeliveryFailures: 0,
  deadLetterErrors: 0,
  streamBatches: 0,
  iteratorAgeMaxMs: 0,
});

/** Adds `b` into `a`. */
export function mergeInto(a: MetricPoint, b: MetricPoint): MetricPoint {
  a.invocations += b.invocations;
  a.errors += b.errors;
  a.throttles += b.throttles;
  a.durationSumMs += b.durationSumMs;
  a.durationMaxMs = Math.max(a.durationMaxMs, b.durationMaxMs);
  b.durationBuckets.forEach((n, i) => (a.durationBuckets[i] = (a.durationBuckets[i] ?? 0) + (n ?? 0)));
  a.coldStarts += b.coldStarts;
  a.initDurationSumMs += b.initDurationSumMs;
  a.maxMemoryUsedMb = Math.max(a.maxMemoryUsedMb, b.maxMemoryUsedMb);
  a.billedDurationMs += b.billedDurationMs;
  a.gbSeconds += b.gbSeconds;
  a.maxConcurrentExecutions = Math.max(a.maxConcurrentExecutions, b.maxConcurrentExecutions);
  a.asyncEventsReceived += b.asyncEventsReceived;
  a.asyncEventAgeMaxMs = Math.max(a.asyncEventAgeMaxMs, b.asyncEventAgeMaxMs);
  a.asyncEventsDropped += b.asyncEventsDropped;
  a.destinationDeliveryFailures += b.destinationDeliveryFailures;
  a.deadLetterErrors += b.deadLetterErrors;
  a.streamBatches += b.streamBatches;
  a.iteratorAgeMaxMs = Math.max(a.iteratorAgeMaxMs, b.iteratorAgeMaxMs);
  return a;
}

export interface MetricsRecorderOptions {
  repo: MetricsRepo;
  clock: Clock;
  logger: Logger;
  retentionHours: number;
  flushIntervalMs?: number;
  /** Live counters (Prometheus) fed with every invocation as it ends, and with async events. */
  live?: InvocationMetrics & AsyncMetrics;
}

export class MetricsRecorder implements InvocationMetrics, AsyncMetrics {
  private pending = new Map<string, MetricPoint>();
  private timer: Timer | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: MetricsRecorderOptions) {}

  start(): void {
    const tick = () => {
      this.timer = this.o.clock.setTimeout(() => {
        void this.flush().finally(() => {
          if (!this.stopped) tick();
        });
      }, this.o.flushIntervalMs ?? 5000);
    };
    tick();
  }

  invoked(target: InvokedTarget, result: ClosedInvocation, concurrentExecutions: number): void {
    const r = result.report;
    const bucket = bucketOf(r.durationMs);
    for (const p of this.points(target)) {
      p.invocations++;
      if (!result.outcome.ok) p.errors++;
      p.durationSumMs += r.durationMs;
      p.durationMaxMs = Math.max(p.durationMaxMs, r.durationMs);
      p.durationBuckets[bucket] = (p.durationBuckets[bucket] ?? 0) + 1;
      if (r.initDurationMs !== undefined) {
        p.coldStarts++;
        p.initDurationSumMs += r.initDurationMs;
      }
      p.maxMemoryUsedMb = Math.max(p.maxMemoryUsedMb, r.maxMemoryUsedMb);
      p.billedDurationMs += r.billedDurationMs;
      p.gbSeconds += gbSeconds(r.billedDurationMs, r.memorySizeMb);
      p.maxConcurrentExecutions = Math.max(p.maxConcurrentExecutions, concurrentExecutions);
    }
    this.o.live?.invoked(target, result, concurrentExecutions);
  }

  throttled(target: InvokedTarget): void {
    for (const p of this.points(target)) p.throttles++;
    this.o.live?.throttled(target);
  }

  received(functionName: string): void {
    this.functionPoint(functionName).asyncEventsReceived++;
    this.o.live?.received(functionName);
  }

  attempted(functionName: string, ageMs: number): void {
    const p = this.functionPoint(functionName);
    p.asyncEventAgeMaxMs = Math.max(p.asyncEventAgeMaxMs, ageMs);
    this.o.live?.attempted(functionName, ageMs);
  }

  dropped(functionName: string): void {
    this.functionPoint(functionName).asyncEventsDropped++;
    this.o.live?.dropped(functionName);
  }

  destinationFailed(functionName: string): void {
    this.functionPoint(functionName).destinationDeliveryFailures++;
    this.o.live?.destinationFailed(functionName);
  }

  deadLetterFailed(functionName: string): void {
    this.functionPoint(functionName).deadLetterErrors++;
    this.o.live?.deadLetterFailed(functionName);
  }

  /** A stream mapping sends a batch whose last record reached the stream `ageMs` ago (Lambda's IteratorAge). */
  iteratorAge(functionName: string, ageMs: number): void {
    const p = this.functionPoint(functionName);
    p.streamBatches++;
    p.iteratorAgeMaxMs = Math.max(p.iteratorAgeMaxMs, ageMs);
  }

  /** Writes the pending points and deletes those past retention. One flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const points = [...this.pending.values()];
      this.pending = new Map();
      try {
        if (points.length > 0) await this.o.repo.merge(points);
        await this.o.repo.deleteBefore(this.o.clock.now() - this.o.retentionHours * 3_600_000);
      } catch (err) {
        // Keep them for the next flush rather than lose a minute of metrics.
        for (const p of points) mergeInto(this.pointFor(p.functionName, p.kind, p.value, p.minute), p);
        this.o.logger.warn('could not write metrics', { error: String(err) });
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.flush();
  }

  /** A function's metrics over the last `minutes` minutes (the current one included), up to date. */
  async summary(functionName: string, minutes: number): Promise<FunctionMetricsSummary> {
    await this.flush();
    const now = this.o.clock.now();
    const since = minuteOf(now) - (minutes - 1) * MINUTE_MS;
    return summarize(functionName, minutes, since, now, await this.o.repo.query(functionName, since));
  }

  private points(t: InvokedTarget): MetricPoint[] {
    const minute = minuteOf(this.o.clock.now());
    const points = [this.pointFor(t.functionName, 'function', '', minute), this.pointFor(t.functionName, 'version', t.version, minute)];
    if (t.alias !== undefined) points.push(this.pointFor(t.functionName, 'alias', t.alias, minute));
    return points;
  }

  private functionPoint(functionName: string): MetricPoint {
    return this.pointFor(functionName, 'function', '', minuteOf(this.o.clock.now()));
  }

  private pointFor(functionName: string, kind: DimensionKind, value: string, minute: number): MetricPoint {
    const key = `${functionName}\0${kind}\0${value}\0${minute}`;
    let p = this.pending.get(key);
    if (!p) this.pending.set(key, (p = emptyPoint(functionName, kind, value, minute)));
    return p;
  }
}

export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** Lambda's unit of cost: billed milliseconds times memory in GB. */
export const gbSeconds = (billedMs: number, memoryMb: number): number => (billedMs * memoryMb) / 1024 / 1000;

export interface MetricsStats {
  invocations: number;
  errors: number;
  throttles: number;
  duration: { avgMs: number | null; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null; maxMs: number | null };
  coldStarts: number;
  initDurationAvgMs: number | null;
  maxMemoryUsedMb: number | null;
  billedDurationMs: number;
  gbSeconds: number;
  maxConcurrentExecutions: number;
  async: AsyncStats;
}

/** Zero for versions and aliases: async events are counted per function. */
export interface AsyncStats {
  eventsReceived: number;
  eventAgeMaxMs: number;
  eventsDropped: number;
  destinationDeliveryFailures: number;
  deadLetterErrors: number;
}

export interface FunctionMetricsSummary {
  functionName: string;
  minutes: number;
  from: number;
  to: number;
  total: MetricsStats;
  /** $LATEST first, then versions in numeric order. */
  versions: { name: string; stats: MetricsStats }[];
  aliases: { name: string; stats: MetricsStats }[];
  /** The function's points, oldest first (minutes without invocations or async events left out). */
  perMinute: { minute: number; stats: MetricsStats }[];
}

export function summarize(functionName: string, minutes: number, from: number, to: number, points: readonly MetricPoint[]): FunctionMetricsSummary {
  const total = emptyPoint(functionName, 'function', '', from);
  const versions = new Map<string, MetricPoint>();
  const aliases = new Map<string, MetricPoint>();
  const perMinute: { minute: number; stats: MetricsStats }[] = [];
  for (const p of [...points].sort((a, b) => a.minute - b.minute)) {
    if (p.kind === 'function') {
      mergeInto(total, p);
      perMinute.push({ minute: p.minute, stats: stats(p) });
    } else {
      const into = p.kind === 'version' ? versions : aliases;
      const acc = into.get(p.value) ?? emptyPoint(functionName, p.kind, p.value, from);
      into.set(p.value, mergeInto(acc, p));
    }
  }
  const sorted = (m: Map<string, MetricPoint>, order: (a: string, b: string) => number) =>
    [...m].sort(([a], [b]) => order(a, b)).map(([name, p]) => ({ name, stats: stats(p) }));
  const byVersion = (a: string, b: string) => (a === b ? 0 : a === '$LATEST' ? -1 : b === '$LATEST' ? 1 : Number(a) - Number(b));
  return {
    functionName,
    minutes,
    from,
    to,
    total: stats(total),
    versions: sorted(versions, byVersion),
    aliases: sorted(aliases, (a, b) => a.localeCompare(b)),
    perMinute,
  };
}

export function stats(p: MetricPoint): MetricsStats {
  const n = p.invocations;
  return {
    invocations: n,
    errors: p.errors,
    throttles: p.throttles,
    duration: {
      avgMs: n ? round(p.durationSumMs / n) : null,
      p50Ms: percentile(p, 0.5),
      p90Ms: percentile(p, 0.9),
      p99Ms: percentile(p, 0.99),
      maxMs: n ? round(p.durationMaxMs) : null,
    },
    coldStarts: p.coldStarts,
    initDurationAvgMs: p.coldStarts ? round(p.initDurationSumMs / p.coldStarts) : null,
    maxMemoryUsedMb: n ? p.maxMemoryUsedMb : null,
    billedDurationMs: p.billedDurationMs,
    gbSeconds: Number(p.gbSeconds.toFixed(6)),
    maxConcurrentExecutions: p.maxConcurrentExecutions,
    async: {
      eventsReceived: p.asyncEventsReceived,
      eventAgeMaxMs: round(p.asyncEventAgeMaxMs),
      eventsDropped: p.asyncEventsDropped,
      destinationDeliveryFailures: p.destinationDeliveryFailures,
      deadLetterErrors: p.deadLetterErrors,
    },
  };
}

/** The upper bound of the bucket holding the q-th duration, never above the largest seen. */
export function percentile(p: MetricPoint, q: number): number | null {
  const count = p.durationBuckets.reduce((s, n) => s + (n ?? 0), 0);
  if (count === 0) return null;
  const rank = Math.ceil(q * count);
  let seen = 0;
  for (let i = 0; i < p.durationBuckets.length; i++) {
    seen += p.durationBuckets[i] ?? 0;
    if (seen >= rank) return round(Math.min(DURATION_BOUNDS_MS[i] ?? Infinity, p.durationMaxMs));
  }
  return round(p.durationMaxMs);
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
