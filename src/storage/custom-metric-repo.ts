/** The store interface of metrics callers publish (CloudWatch PutMetricData, EMF). Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { MetricDatum, MetricIdentity } from '../domain/custom-metric.js';

/** Metrics callers publish (CloudWatch's PutMetricData, EMF lines), one statistic set per metric, unit and minute. */
export interface CustomMetricRepo {
  /** Adds each datum to what is stored for the same metric, dimensions, unit and minute. */
  merge(data: readonly MetricDatum[]): Promise<void>;
  /** One metric (exactly these dimensions), minutes in [from, to), oldest first. */
  query(metric: MetricIdentity, from: number, to: number): Promise<MetricDatum[]>;
  /** Every metric with data since `since`, of a namespace and name when given, by namespace, name and dimensions. */
  list(filter: { namespace?: string; metricName?: string }, since: number): Promise<MetricIdentity[]>;
  /** Deletes data of minutes before `minute`; how many rows. */
  deleteBefore(minute: number): Promise<number>;
}
