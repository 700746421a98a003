/** Metrics that callers publish (PutMetricData, Embedded Metric Format), as CloudWatch keeps them. */
import { z } from 'zod';

export const DimensionSchema = z.strictObject({ name: z.string(), value: z.string() });
export type Dimension = z.infer<typeof DimensionSchema>;

/** A metric: its namespace, name and exact set of dimensions (sorted by name). */
export interface MetricIdentity {
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
}

/**
 * One minute of one metric in one unit: a statistic set, so that data points of the same minute
 * merge (standard resolution; high-resolution data is kept at one minute too).
 */
export interface MetricDatum extends MetricIdentity {
  unit: string;
  /** Epoch milliseconds at the start of the minute. */
  minute: number;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

export const DimensionsSchema = z.array(DimensionSchema);

/** Dimensions in CloudWatch's identity order (by name), so that the same set is always the same metric. */
export const sortDimensions = (dims: readonly Dimension[]): Dimension[] => [...dims].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** The stored key of a set of dimensions. */
export const dimensionsKey = (dims: readonly Dimension[]): string => JSON.stringify(sortDimensions(dims).map((d) => [d.name, d.value]));

export const dimensionsOfKey = (key: string): Dimension[] =>
  z
    .array(z.tuple([z.string(), z.string()]))
    .parse(JSON.parse(key))
    .map(([name, value]) => ({ name, value }));
