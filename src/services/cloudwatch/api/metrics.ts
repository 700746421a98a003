/** CloudWatch's metric operations: publish, read (with metric math), list. Parse, call the metric services, render. */
import { MathError, evaluate, type Series } from '../../../telemetry/cloudwatch/metric-math.js';
import type { MetricSource } from '../../../telemetry/cloudwatch/metric-source.js';
import type { Publication, PublishedMetrics } from '../../../telemetry/cloudwatch/published-metrics.js';
import { isStat, read, type StatSet } from '../../../telemetry/cloudwatch/statistics.js';
import type { Clock } from '../../../lib/clock.js';
import { CloudWatchErrors, ProtocolErrors } from '../../../wire/errors.js';
import { typedHandlers, type OperationHandler } from '../../../api/service.js';
import { checkPeriod, fromWire, seconds, toMs, toWire, type DimensionWire, type MetricWire, type TimestampWire } from './wire.js';
import type { CloudwatchInputs } from '../../../wire/inputs/cloudwatch.js';

interface MetricDatumWire {
  MetricName: string;
  Dimensions?: DimensionWire[];
  Timestamp?: TimestampWire;
  Value?: number;
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
}

interface MetricDataQueryWire {
  Id: string;
  MetricStat?: { Metric: MetricWire; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
}

const TWO_WEEKS_MS = 14 * 24 * 3_600_000;
const TWO_HOURS_MS = 2 * 3_600_000;
const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
const LIST_PAGE = 500;

export function metricHandlers(published: PublishedMetrics, source: MetricSource, clock: Clock): Record<string, OperationHandler> {
  return typedHandlers<CloudwatchInputs>({
    async PutMetricData(i) {
      if (i.Namespace.startsWith('AWS/')) throw CloudWatchErrors.invalidParameterValue(`The value ${i.Namespace} for parameter Namespace is invalid.`);
      const data = [...(i.MetricData ?? []), ...(i.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
      const now = clock.now();
      await published.publish(data.map((d, n) => publication(i.Namespace, d, `MetricData.member.${n + 1}`, now)));
      return {};
    },

    async GetMetricStatistics(i) {
      const stats = i.Statistics ?? [];
      const extended = i.ExtendedStatistics ?? [];
      if (stats.length === 0 && extended.length === 0) throw CloudWatchErrors.missingParameter('Must specify either Statistics or ExtendedStatistics.');
      for (const s of extended) if (!isStat(s) || !s.startsWith('p')) throw CloudWatchErrors.invalidParameterValue(`The value ${s} for parameter ExtendedStatistics is invalid.`);
      const periodMs = checkPeriod(i.Period, 'Period');
      const metric = { namespace: i.Namespace!, metricName: i.MetricName!, dimensions: fromWire(i.Dimensions) };
      const periods = await source.periods(metric, periodMs, toMs(i.StartTime, 'StartTime'), toMs(i.EndTime, 'EndTime'), i.Unit);
      const Datapoints = [...periods].map(([at, set]) => ({
        Timestamp: seconds(at),
        ...Object.fromEntries(stats.map((s) => [s, read(set, s)])),
        Unit: i.Unit ?? set.unit ?? 'None',
        ...(extended.length > 0 ? { ExtendedStatistics: Object.fromEntries(extended.map((s) => [s, read(set, s) ?? 0])) } : {}),
      }));
      return { Label: i.MetricName, Datapoints };
    },

    async GetMetricData(i) {
      const start = toMs(i.StartTime, 'StartTime');
      const end = toMs(i.EndTime, 'EndTime');
      if (end <= start) throw CloudWatchErrors.invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
      const results = await runQueries(i.MetricDataQueries, source, start, end);
      const descending = (i.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
      let budget = i.MaxDatapoints ?? 100_800;
      const MetricDataResults = i.MetricDataQueries.filter((q) => q.ReturnData !== false).map((q) => {
        const all = [...results.get(q.Id)!].sort(([a], [b]) => (descending ? b - a : a - b));
        const points = all.slice(0, Math.max(0, budget));
        budget -= points.length;
        return {
          Id: q.Id,
          Label: q.Label ?? q.MetricStat?.Metric.MetricName ?? q.Id,
          Timestamps: points.map(([at]) => seconds(at)),
          Values: points.map(([, v]) => v),
          // Past MaxDatapoints the rest is left out and said so (no NextToken paging here).
          StatusCode: points.length < all.length ? 'PartialData' : 'Complete',
        };
      });
      return { MetricDataResults, Messages: [] };
    },

    async ListMetrics(i) {
      const metrics = await source.list({
        ...(i.Namespace !== undefined ? { namespace: i.Namespace } : {}),
        ...(i.MetricName !== undefined ? { metricName: i.MetricName } : {}),
        dimensions: (i.Dimensions ?? []).map((d) => ({ name: d.Name, ...(d.Value !== undefined ? { value: d.Value } : {}) })),
      });
      const from = i.NextToken === undefined ? 0 : Number(i.NextToken);
      if (!Number.isInteger(from) || from < 0) throw ProtocolErrors.validation('The NextToken is not valid.');
      const page = metrics.slice(from, from + LIST_PAGE);
      return {
        Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: toWire(m.dimensions) })),
        ...(from + LIST_PAGE < metrics.length ? { NextToken: String(from + LIST_PAGE) } : {}),
      };
    },
  });
}

function publication(namespace: string, d: MetricDatumWire, member: string, now: number): Publication {
  const timestamp = d.Timestamp === undefined ? now : toMs(d.Timestamp, `${member}.Timestamp`);
  if (timestamp < now - TWO_WEEKS_MS || timestamp > now + TWO_HOURS_MS) {
    throw CloudWatchErrors.invalidParameterValue(`The parameter ${member}.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.`);
  }
  const given = [d.Value !== undefined && 'Value', d.StatisticValues !== undefined && 'StatisticValues', d.Values !== undefined && 'Values'].filter((x): x is string => x !== false);
  if (given.length > 1) throw CloudWatchErrors.invalidParameterCombination(`The parameters ${given.map((g) => `${member}.${g}`).join(' and ')} are mutually exclusive and you have specified more than one.`);
  if (given.length === 0) throw CloudWatchErrors.missingParameter(`The parameter ${member}.Value, StatisticValues or Values is required.`);
  return { namespace, metricName: d.MetricName, dimensions: fromWire(d.Dimensions), unit: d.Unit ?? 'None', timestamp, values: valuesOf(d, member) };
}

function valuesOf(d: MetricDatumWire, member: string): StatSet {
  if (d.Value !== undefined) return { sampleCount: 1, sum: d.Value, min: d.Value, max: d.Value };
  if (d.StatisticValues !== undefined) {
    const s = d.StatisticValues;
    return { sampleCount: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum };
  }
  const values = d.Values!;
  const counts = d.Counts ?? values.map(() => 1);
  if (counts.length !== values.length) throw CloudWatchErrors.invalidParameterValue(`The parameters ${member}.Values and ${member}.Counts must be arrays of the same size.`);
  if (values.length === 0) throw CloudWatchErrors.missingParameter(`The parameter ${member}.Values must not be empty.`);
  return {
    sampleCount: counts.reduce((a, b) => a + b, 0),
    sum: values.reduce((a, v, n) => a + v * counts[n]!, 0),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Every query's series: metric stats read first, expressions then evaluated over them (in any order, cycles refused). */
async function runQueries(queries: readonly MetricDataQueryWire[], source: MetricSource, start: number, end: number): Promise<Map<string, Series>> {
  const byId = new Map<string, MetricDataQueryWire>();
  queries.forEach((q, n) => {
    const member = `MetricDataQueries.member.${n + 1}`;
    if (!QUERY_ID.test(q.Id)) throw CloudWatchErrors.invalidParameterValue(`The value ${q.Id} for parameter ${member}.Id is invalid: it must start with a lower-case letter and hold only letters, digits and underscores.`);
    if (byId.has(q.Id)) throw CloudWatchErrors.invalidParameterValue(`The value ${q.Id} for parameter ${member}.Id is used more than once.`);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) throw CloudWatchErrors.invalidParameterCombination(`${member} must have exactly one of MetricStat and Expression.`);
    if (q.MetricStat && !isStat(q.MetricStat.Stat)) throw CloudWatchErrors.invalidParameterValue(`The value ${q.MetricStat.Stat} for parameter ${member}.MetricStat.Stat is invalid.`);
    byId.set(q.Id, q);
  });
  const out = new Map<string, Series>();
  const metricIds: string[] = [];
  for (const [n, q] of queries.entries()) {
    if (!q.MetricStat) continue;
    const s = q.MetricStat;
    const periods = await source.periods(
      { namespace: s.Metric.Namespace ?? '', metricName: s.Metric.MetricName ?? '', dimensions: fromWire(s.Metric.Dimensions) },
      checkPeriod(s.Period, `MetricDataQueries.member.${n + 1}.MetricStat.Period`),
      start,
      end,
      s.Unit,
    );
    const series: Series = new Map();
    for (const [at, set] of periods) {
      const v = read(set, s.Stat);
      if (v !== undefined) series.set(at, v);
    }
    out.set(q.Id, series);
    metricIds.push(q.Id);
  }
  const evaluating = new Set<string>();
  const resolve = (id: string): Series | undefined => {
    const done = out.get(id);
    if (done) return done;
    const q = byId.get(id);
    if (!q?.Expression) return undefined;
    if (evaluating.has(id)) throw CloudWatchErrors.invalidParameterValue(`Expression ${id} refers to itself.`);
    evaluating.add(id);
    let value;
    try {
      value = evaluate(q.Expression, { series: resolve, metrics: () => metricIds.map((m) => out.get(m)!) });
    } catch (err) {
      if (err instanceof MathError) throw CloudWatchErrors.invalidParameterValue(`Error in expression ${id}: ${err.message}`);
      throw err;
    }
    // A number stands for itself at every timestamp the metrics have.
    const series: Series = typeof value === 'number' ? new Map(timestampsOf(out, metricIds).map((at) => [at, value])) : value;
    out.set(id, series);
    return series;
  };
  for (const q of queries) if (q.Expression) resolve(q.Id);
  return out;
}

const timestampsOf = (out: Map<string, Series>, ids: readonly string[]): number[] => [...new Set(ids.flatMap((id) => [...out.get(id)!.keys()]))].sort((a, b) => a - b);

