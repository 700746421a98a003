/**
 * One evaluation of an alarm, as CloudWatch does it: the last EvaluationPeriods datapoints,
 * "M out of N" breaching ones to alarm, and the alarm's treatment of missing data.
 * Pure: metric points in, a state and its reason out.
 */
import { emptyPoint, mergeInto, percentile, type MetricPoint } from '../telemetry/metrics.js';
import type { AlarmDefinition, AlarmState, ComparisonOperator } from './model.js';

export interface Datapoint {
  /** Start of the period, epoch ms. */
  start: number;
  /** Undefined when the period had no data for this metric. */
  value: number | undefined;
}

/** The complete periods that end at or before `now`, newest first. */
export function periods(a: AlarmDefinition, now: number): number[] {
  const p = a.periodSeconds * 1000;
  const end = Math.floor(now / p) * p;
  return Array.from({ length: a.evaluationPeriods }, (_, i) => end - (i + 1) * p);
}

/** The earliest minute the evaluation needs. */
export const since = (a: AlarmDefinition, now: number): number => periods(a, now).at(-1) ?? now;

/** The alarm's datapoints from the function's points, newest first. */
export function datapoints(a: AlarmDefinition, now: number, points: readonly MetricPoint[]): Datapoint[] {
  const p = a.periodSeconds * 1000;
  const kind = a.dimension.kind;
  const value = a.dimension.kind === 'function' ? '' : a.dimension.value;
  const mine = points.filter((x) => x.kind === kind && x.value === value);
  return periods(a, now).map((start) => {
    const inPeriod = mine.filter((x) => x.minute >= start && x.minute < start + p);
    if (inPeriod.length === 0) return { start, value: undefined };
    const sum = inPeriod.reduce((acc, x) => mergeInto(acc, x), emptyPoint(a.functionName, kind, value, start));
    return { start, value: read(a, sum) };
  });
}

/** The statistic of one period's merged point; undefined where Lambda would publish no datapoint. */
function read(a: AlarmDefinition, p: MetricPoint): number | undefined {
  const n = p.invocations;
  switch (a.metric) {
    case 'Invocations':
      return n;
    case 'Errors':
      return p.errors;
    case 'Throttles':
      return p.throttles;
    case 'ColdStarts':
      return p.coldStarts;
    case 'Duration':
      if (n === 0) return undefined;
      if (a.statistic === 'Average') return p.durationSumMs / n;
      if (a.statistic === 'SampleCount') return n;
      if (a.statistic === 'p50') return percentile(p, 0.5) ?? undefined;
      if (a.statistic === 'p90') return percentile(p, 0.9) ?? undefined;
      if (a.statistic === 'p99') return percentile(p, 0.99) ?? undefined;
      return p.durationMaxMs;
    case 'InitDuration':
      if (p.coldStarts === 0) return undefined;
      if (a.statistic === 'Sum') return p.initDurationSumMs;
      if (a.statistic === 'SampleCount') return p.coldStarts;
      return p.initDurationSumMs / p.coldStarts;
    case 'MaxMemoryUsed':
      return n === 0 ? undefined : p.maxMemoryUsedMb;
    case 'ConcurrentExecutions':
      return n === 0 ? undefined : p.maxConcurrentExecutions;
    case 'BilledDuration':
      return n === 0 ? undefined : p.billedDurationMs;
    case 'GBSeconds':
      return n === 0 ? undefined : p.gbSeconds;
    case 'ErrorRate':
      return n === 0 ? undefined : (100 * p.errors) / n;
  }
}

export const breaches = (op: ComparisonOperator, value: number, threshold: number): boolean =>
  op === 'GreaterThanThreshold'
    ? value > threshold
    : op === 'GreaterThanOrEqualToThreshold'
      ? value >= threshold
      : op === 'LessThanThreshold'
        ? value < threshold
        : value <= threshold;

const PHRASE: Record<ComparisonOperator, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

const num = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(Number(v.toFixed(6))));
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export interface Verdict {
  state: AlarmState;
  reason: string;
}

/**
 * CloudWatch's rule: ALARM when at least DatapointsToAlarm of the last EvaluationPeriods datapoints
 * breach. Missing datapoints count as breaching or not per TreatMissingData; with `missing` and
 * `ignore` only the real ones count, and when every one is missing the alarm goes
 * INSUFFICIENT_DATA (`missing`) or keeps its state (`ignore`).
 */
export function decide(a: AlarmDefinition, points: readonly Datapoint[], current: AlarmState): Verdict {
  const n = points.length;
  const m = a.datapointsToAlarm;
  const real = points.flatMap((p) => (p.value === undefined ? [] : [p.value]));
  const missing = n - real.length;
  const crossing = real.filter((v) => breaches(a.comparisonOperator, v, a.threshold));
  const t = num(a.threshold);
  const phrase = PHRASE[a.comparisonOperator];

  if (missing === n) {
    const none = `no datapoints were received for ${plural(n, 'period', 'periods')} and ${plural(n, 'missing datapoint was', 'missing datapoints were')} treated as`;
    switch (a.treatMissingData) {
      case 'missing':
        return { state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${plural(n, 'datapoint was', 'datapoints were')} unknown.` };
      case 'ignore':
        return { state: current, reason: `Insufficient Data: ${plural(n, 'datapoint was', 'datapoints were')} unknown; the state is kept (TreatMissingData ignore).` };
      case 'breaching':
        return { state: 'ALARM', reason: `Threshold Crossed: ${none} [Breaching].` };
      case 'notBreaching':
        return { state: 'OK', reason: `Threshold Crossed: ${none} [NonBreaching].` };
    }
  }

  const missingBreach = a.treatMissingData === 'breaching' ? missing : 0;
  const b = crossing.length + missingBreach;
  const treated =
    missing > 0 && (a.treatMissingData === 'breaching' || a.treatMissingData === 'notBreaching')
      ? ` and ${plural(missing, 'missing datapoint was', 'missing datapoints were')} treated as [${a.treatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching'}]`
      : '';
  if (b >= m) {
    const were = crossing.length === 1 ? 'was' : 'were';
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${crossing.length} out of the last ${plural(n, 'datapoint', 'datapoints')} [${crossing.map(num).join(', ')}] ${were} ${phrase} the threshold (${t})${treated} (minimum ${plural(m, 'datapoint', 'datapoints')} for ALARM).`,
    };
  }
  const calm = real.filter((v) => !breaches(a.comparisonOperator, v, a.threshold));
  if (calm.length === 0) {
    return {
      state: 'OK',
      reason: `Threshold Crossed: ${crossing.length} out of the last ${plural(n, 'datapoint', 'datapoints')} [${crossing.map(num).join(', ')}] ${crossing.length === 1 ? 'was' : 'were'} ${phrase} the threshold (${t})${treated}, fewer than the ${m} needed for ALARM.`,
    };
  }
  return {
    state: 'OK',
    reason: `Threshold Crossed: ${calm.length} out of the last ${plural(n, 'datapoint', 'datapoints')} [${calm.map(num).join(', ')}] ${calm.length === 1 ? 'was' : 'were'} not ${phrase} the threshold (${t})${treated}.`,
  };
}
