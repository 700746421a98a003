/** Rows of `custom_metrics`, read back the same way by both adapters. */
import { z } from 'zod';
import { dimensionsKey, dimensionsOfKey, type MetricDatum, type MetricIdentity } from '../../domain/custom-metric.js';

export const CustomMetricRowSchema = z.object({
  namespace: z.string(),
  metric_name: z.string(),
  dimensions: z.string(),
  unit: z.string(),
  minute: z.number(),
  sample_count: z.number(),
  sum: z.number(),
  min: z.number(),
  max: z.number(),
});

export const IdentityRowSchema = CustomMetricRowSchema.pick({ namespace: true, metric_name: true, dimensions: true });

export const toDatum = (row: unknown): MetricDatum => {
  const r = CustomMetricRowSchema.parse(row);
  return { namespace: r.namespace, metricName: r.metric_name, dimensions: dimensionsOfKey(r.dimensions), unit: r.unit, minute: r.minute, sampleCount: r.sample_count, sum: r.sum, min: r.min, max: r.max };
};

export const toIdentity = (row: unknown): MetricIdentity => {
  const r = IdentityRowSchema.parse(row);
  return { namespace: r.namespace, metricName: r.metric_name, dimensions: dimensionsOfKey(r.dimensions) };
};

/** The values of a datum in column order: namespace, metric_name, dimensions, unit, minute, sample_count, sum, min, max. */
export const datumValues = (d: MetricDatum) => [d.namespace, d.metricName, dimensionsKey(d.dimensions), d.unit, d.minute, d.sampleCount, d.sum, d.min, d.max] as const;

/** One order for every batch, so that two writers locking the same rows cannot deadlock. */
export const byKey = (a: MetricDatum, b: MetricDatum): number => {
  const ka = datumValues(a).slice(0, 5).join('\0');
  const kb = datumValues(b).slice(0, 5).join('\0');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
