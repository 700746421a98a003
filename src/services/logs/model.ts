/** CloudWatch Logs' records kept in the store: metric and subscription filters of a log group (zod-checked when read back). */
import { z } from 'zod';

export const MetricTransformationSchema = z.object({
  metricName: z.string(),
  metricNamespace: z.string(),
  /** A number, or `$.selector` (JSON pattern) / `$name` (space-delimited pattern) naming the value in the event. */
  metricValue: z.string(),
  defaultValue: z.number().optional(),
  dimensions: z.record(z.string(), z.string()).optional(),
  unit: z.string().optional(),
});
export type MetricTransformation = z.infer<typeof MetricTransformationSchema>;

export const MetricFilterRecordSchema = z.object({
  /** The group's store key (see group-names.ts). */
  group: z.string(),
  filterName: z.string(),
  filterPattern: z.string(),
  metricTransformations: z.array(MetricTransformationSchema).min(1),
  creationTime: z.number(),
});
export type MetricFilterRecord = z.infer<typeof MetricFilterRecordSchema>;

export const SubscriptionFilterRecordSchema = z.object({
  group: z.string(),
  filterName: z.string(),
  filterPattern: z.string(),
  destinationArn: z.string(),
  distribution: z.string(),
  roleArn: z.string().optional(),
  creationTime: z.number(),
});
export type SubscriptionFilterRecord = z.infer<typeof SubscriptionFilterRecordSchema>;

/** A filter's key in its store: group key and filter name, neither of which can hold `:`. */
export const filterKey = (group: string, filterName: string): string => `${group}:${filterName}`;
export const filterPrefix = (group: string): string => `${group}:`;

/** An account-level resource policy of CloudWatch Logs (stored and answered, not enforced). */
export const LogResourcePolicyRecordSchema = z.object({
  policyName: z.string(),
  policyDocument: z.string(),
  lastUpdatedTime: z.number(),
  revisionId: z.string(),
});
export type LogResourcePolicyRecord = z.infer<typeof LogResourcePolicyRecordSchema>;
