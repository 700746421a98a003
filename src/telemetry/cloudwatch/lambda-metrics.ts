/**
 * Lambda's own metrics as CloudWatch shows them (namespace `AWS/Lambda`), read from the per-function
 * one-minute points: their names, their dimensions (FunctionName; with Resource for an alias;
 * with ExecutedVersion for a version) and each minute as a statistic set.
 */
import type { Dimension } from '../../domain/custom-metric.js';
import { isPublishedVersion } from '../../domain/qualifier.js';
import { emptyPoint, mergeInto, percentile, type DimensionKind, type MetricPoint } from '../metrics.js';
import type { StatSet } from './statistics.js';

export const LAMBDA_NAMESPACE = 'AWS/Lambda';

/** Per invocation, Lambda publishes 1 to Invocations and 0 or 1 to Errors: Average of Errors is the error rate. */
const EXTRACT: Record<string, (p: MetricPoint) => StatSet | undefined> = {
  Invocations: (p) => counted(p.invocations, p.invocations),
  Errors: (p) => (p.invocations === 0 ? undefined : { sampleCount: p.invocations, sum: p.errors, min: p.errors < p.invocations ? 0 : 1, max: p.errors > 0 ? 1 : 0 }),
  Throttles: (p) => counted(p.throttles, p.throttles),
  Duration: (p) =>
    p.invocations === 0
      ? undefined
      : { sampleCount: p.invocations, sum: p.durationSumMs, min: percentile(p, 0.0001) ?? 0, max: p.durationMaxMs, percentile: (q) => percentile(p, q) ?? undefined },
  ConcurrentExecutions: (p) => (p.invocations === 0 ? undefined : one(p.maxConcurrentExecutions)),
  AsyncEventsReceived: (p) => counted(p.asyncEventsReceived, p.asyncEventsReceived),
  AsyncEventAge: (p) => (p.asyncEventsReceived === 0 && p.asyncEventAgeMaxMs === 0 ? undefined : one(p.asyncEventAgeMaxMs)),
  AsyncEventsDropped: (p) => counted(p.asyncEventsDropped, p.asyncEventsDropped),
  DestinationDeliveryFailures: (p) => counted(p.destinationDeliveryFailures, p.destinationDeliveryFailures),
  DeadLetterErrors: (p) => counted(p.deadLetterErrors, p.deadLetterErrors),
  IteratorAge: (p) => (p.streamBatches === 0 ? undefined : one(p.iteratorAgeMaxMs)),
};

const counted = (n: number, sum: number): StatSet | undefined => (n === 0 ? undefined : { sampleCount: n, sum, min: 1, max: 1 });
const one = (v: number): StatSet => ({ sampleCount: 1, sum: v, min: v, max: v });

export const LAMBDA_METRICS = Object.keys(EXTRACT);

/** Where a set of dimensions points in the function's points; undefined for a set Lambda does not publish. */
export interface LambdaSeries {
  functionName: string;
  kind: DimensionKind;
  value: string;
}

export function lambdaSeries(dimensions: readonly Dimension[]): LambdaSeries | undefined {
  const by = new Map(dimensions.map((d) => [d.name, d.value]));
  const fn = by.get('FunctionName');
  if (fn === undefined) return undefined;
  if (by.size === 1) return { functionName: fn, kind: 'function', value: '' };
  if (by.size !== 2) return undefined;
  const version = by.get('ExecutedVersion');
  if (version !== undefined) return { functionName: fn, kind: 'version', value: version };
  const resource = by.get('Resource');
  if (resource === undefined || !resource.startsWith(`${fn}:`)) return undefined;
  const qualifier = resource.slice(fn.length + 1);
  return { functionName: fn, kind: isPublishedVersion(qualifier) ? 'version' : 'alias', value: qualifier };
}

/** The dimensions of a stored series, as Lambda names them. */
export function lambdaDimensions(functionName: string, kind: DimensionKind, value: string): Dimension[] {
  if (kind === 'function') return [{ name: 'FunctionName', value: functionName }];
  if (kind === 'version') return [{ name: 'ExecutedVersion', value }, { name: 'FunctionName', value: functionName }];
  return [{ name: 'FunctionName', value: functionName }, { name: 'Resource', value: `${functionName}:${value}` }];
}

/** The metric's statistic set over a period's points of one series (merged first, so that percentiles hold). */
export function lambdaStatSet(metricName: string, series: LambdaSeries, points: readonly MetricPoint[]): StatSet | undefined {
  const extract = EXTRACT[metricName];
  if (!extract || points.length === 0) return undefined;
  const merged = points.reduce((acc, p) => mergeInto(acc, p), emptyPoint(series.functionName, series.kind, series.value, points[0]!.minute));
  if (metricName === 'ConcurrentExecutions' || metricName === 'AsyncEventAge' || metricName === 'IteratorAge') {
    // Maxima per minute: the period's statistics are over its minutes, not over one merged point.
    const perMinute = points.map(extract).filter((s): s is StatSet => s !== undefined);
    if (perMinute.length === 0) return undefined;
    return perMinute.reduce((a, b) => ({ sampleCount: a.sampleCount + b.sampleCount, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) }));
  }
  return extract(merged);
}
