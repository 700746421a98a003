/**
 * Every metric CloudWatch's API reads: Lambda's own (`AWS/Lambda`, from the per-function points)
 * and those callers published (PutMetricData, EMF), as statistic sets per period.
 */
import type { Dimension, MetricIdentity } from '../../domain/custom-metric.js';
import type { Clock } from '../../lib/clock.js';
import type { CustomMetricRepo } from '../../storage/store.js';
import { MINUTE_MS, type MetricPoint, type MetricsRepo } from '../metrics.js';
import { LAMBDA_METRICS, LAMBDA_NAMESPACE, lambdaDimensions, lambdaSeries, lambdaStatSet } from './lambda-metrics.js';
import { merge, type StatSet } from './statistics.js';

/** How far back ListMetrics looks (CloudWatch: two weeks). */
const LISTED_MS = 14 * 24 * 3_600_000;

export interface MetricSourceDeps {
  lambdaPoints: MetricsRepo;
  /** Writes the invocations' pending points, so that reads see the current minute. */
  flushLambda: () => Promise<void>;
  custom: CustomMetricRepo;
  functionNames: () => Promise<string[]>;
  clock: Clock;
}

export interface DimensionFilter {
  name: string;
  value?: string;
}

/** A period's statistic set, by the period's start (epoch ms); with its unit for published metrics. */
export type PeriodSets = Map<number, StatSet & { unit?: string }>;

export class MetricSource {
  constructor(private readonly d: MetricSourceDeps) {}

  /** The metric's statistic sets for every period in [start, end) that has data; `unit` keeps only data published in it. */
  async periods(metric: MetricIdentity, periodMs: number, start: number, end: number, unit?: string): Promise<PeriodSets> {
    const from = Math.floor(start / periodMs) * periodMs;
    const out: PeriodSets = new Map();
    if (metric.namespace === LAMBDA_NAMESPACE) {
      const series = lambdaSeries(metric.dimensions);
      if (!series || !LAMBDA_METRICS.includes(metric.metricName)) return out;
      await this.d.flushLambda();
      const points = (await this.d.lambdaPoints.query(series.functionName, from)).filter((p) => p.kind === series.kind && p.value === series.value && p.minute < end);
      const byPeriod = new Map<number, MetricPoint[]>();
      for (const p of points) {
        const at = Math.floor(p.minute / periodMs) * periodMs;
        byPeriod.set(at, [...(byPeriod.get(at) ?? []), p]);
      }
      for (const [at, inPeriod] of byPeriod) {
        const set = lambdaStatSet(metric.metricName, series, inPeriod);
        if (set) out.set(at, { ...set, unit: metric.metricName === 'Duration' || metric.metricName === 'AsyncEventAge' ? 'Milliseconds' : 'Count' });
      }
      return out;
    }
    for (const d of await this.d.custom.query(metric, from, end)) {
      if (unit !== undefined && d.unit !== unit) continue;
      const at = Math.floor(d.minute / periodMs) * periodMs;
      const seen = out.get(at);
      out.set(at, seen ? { ...merge(seen, d), unit: seen.unit === d.unit ? d.unit : 'None' } : { sampleCount: d.sampleCount, sum: d.sum, min: d.min, max: d.max, unit: d.unit });
    }
    return out;
  }

  /** Metrics with data in the last two weeks, by namespace, name and dimensions. */
  async list(filter: { namespace?: string; metricName?: string; dimensions?: readonly DimensionFilter[] }): Promise<MetricIdentity[]> {
    const since = this.d.clock.now() - LISTED_MS;
    const found: MetricIdentity[] = [];
    if (filter.namespace === undefined || filter.namespace === LAMBDA_NAMESPACE) found.push(...(await this.lambdaMetrics(since)));
    if (filter.namespace !== LAMBDA_NAMESPACE) found.push(...(await this.d.custom.list({ ...(filter.namespace !== undefined ? { namespace: filter.namespace } : {}) }, since)));
    return found.filter((m) => (filter.metricName === undefined || m.metricName === filter.metricName) && matches(m.dimensions, filter.dimensions ?? []));
  }

  private async lambdaMetrics(since: number): Promise<MetricIdentity[]> {
    await this.d.flushLambda();
    const out: MetricIdentity[] = [];
    for (const fn of await this.d.functionNames()) {
      const points = await this.d.lambdaPoints.query(fn, Math.floor(since / MINUTE_MS) * MINUTE_MS);
      const seriesKeys = new Map<string, MetricPoint[]>();
      for (const p of points) seriesKeys.set(`${p.kind}\0${p.value}`, [...(seriesKeys.get(`${p.kind}\0${p.value}`) ?? []), p]);
      for (const inSeries of seriesKeys.values()) {
        const { kind, value } = inSeries[0]!;
        for (const metricName of LAMBDA_METRICS) {
          if (lambdaStatSet(metricName, { functionName: fn, kind, value }, inSeries)) out.push({ namespace: LAMBDA_NAMESPACE, metricName, dimensions: lambdaDimensions(fn, kind, value) });
        }
      }
    }
    return out;
  }
}

const matches = (dims: readonly Dimension[], filters: readonly DimensionFilter[]) =>
  filters.every((f) => dims.some((d) => d.name === f.name && (f.value === undefined || d.value === f.value)));
