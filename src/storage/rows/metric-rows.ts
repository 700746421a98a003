/** How one-minute metric points are kept in rows, for every adapter: the key as columns, the rest as JSON. */
import { z } from 'zod';
import { emptyPoint, type DimensionKind, type MetricPoint } from '../../telemetry/metrics.js';

export interface MetricRow {
  function_name: string;
  kind: DimensionKind;
  value: string;
  minute: number;
  data: string;
}

/** Everything but the key; duration buckets as [index, count] pairs, since most are empty. */
const Data = z.object({
  invocations: z.number(),
  errors: z.number(),
  throttles: z.number(),
  durationSumMs: z.number(),
  durationMaxMs: z.number(),
  durationBuckets: z.array(z.tuple([z.number().int().min(0), z.number()])),
  coldStarts: z.number(),
  initDurationSumMs: z.number(),
  maxMemoryUsedMb: z.number(),
  billedDurationMs: z.number(),
  gbSeconds: z.number(),
  maxConcurrentExecutions: z.number(),
  // Added later: points written before have none.
  asyncEventsReceived: z.number().default(0),
  asyncEventAgeMaxMs: z.number().default(0),
  asyncEventsDropped: z.number().default(0),
  destinationDeliveryFailures: z.number().default(0),
  deadLetterErrors: z.number().default(0),
  streamBatches: z.number().default(0),
  iteratorAgeMaxMs: z.number().default(0),
});

export function toData(p: MetricPoint): string {
  const { functionName: _f, kind: _k, value: _v, minute: _m, durationBuckets, ...rest } = p;
  const pairs: [number, number][] = [];
  durationBuckets.forEach((n, i) => n && pairs.push([i, n]));
  return JSON.stringify({ ...rest, durationBuckets: pairs });
}

export function toPoint(row: MetricRow): MetricPoint {
  const { durationBuckets, ...rest } = Data.parse(JSON.parse(row.data));
  const buckets: number[] = [];
  for (const [i, n] of durationBuckets) buckets[i] = n;
  return { ...emptyPoint(row.function_name, row.kind, row.value, row.minute), ...rest, durationBuckets: buckets };
}
