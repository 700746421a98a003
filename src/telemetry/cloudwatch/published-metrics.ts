/**
 * Metrics callers publish (CloudWatch's PutMetricData, EMF lines in function output): each value
 * or statistic set lands in its minute's statistic set in the store, and in the live exposition.
 */
import { sortDimensions, type Dimension, type MetricDatum } from '../../domain/custom-metric.js';
import type { Clock } from '../../lib/clock.js';
import type { CustomMetricRepo } from '../../storage/store.js';
import { minuteOf } from '../metrics.js';
import type { StatSet } from './statistics.js';

export interface Publication {
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
  unit: string;
  /** Epoch ms. */
  timestamp: number;
  values: StatSet;
}

/** Where published values also go as they arrive (Prometheus). */
export interface LivePublished {
  published(p: Publication): void;
}

const PRUNE_EVERY_MS = 3_600_000;

export class PublishedMetrics {
  private lastPrune = 0;

  constructor(
    private readonly repo: CustomMetricRepo,
    private readonly clock: Clock,
    private readonly retentionMs: number,
    private readonly live?: LivePublished,
  ) {}

  async publish(publications: readonly Publication[]): Promise<void> {
    const byKey = new Map<string, MetricDatum>();
    for (const p of publications) {
      const dimensions = sortDimensions(p.dimensions);
      const minute = minuteOf(p.timestamp);
      const key = JSON.stringify([p.namespace, p.metricName, dimensions, p.unit, minute]);
      const seen = byKey.get(key);
      const v = p.values;
      byKey.set(
        key,
        seen
          ? { ...seen, sampleCount: seen.sampleCount + v.sampleCount, sum: seen.sum + v.sum, min: Math.min(seen.min, v.min), max: Math.max(seen.max, v.max) }
          : { namespace: p.namespace, metricName: p.metricName, dimensions, unit: p.unit, minute, sampleCount: v.sampleCount, sum: v.sum, min: v.min, max: v.max },
      );
    }
    await this.repo.merge([...byKey.values()]);
    for (const p of publications) this.live?.published(p);
    const now = this.clock.now();
    if (now - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = now;
      await this.repo.deleteBefore(now - this.retentionMs);
    }
  }
}
