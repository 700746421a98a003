/**
 * A metric filter turns each log event of its group that matches its pattern into a metric value:
 * `metricValue` is a number or a field of the event (`$.a.b` for a JSON pattern, `$name` for a
 * space-delimited one), dimensions are fields too; an event that does not match publishes
 * `defaultValue`, if there is one. A value or dimension the event does not carry publishes nothing.
 */
import type { Publication } from '../../telemetry/cloudwatch/published-metrics.js';
import { compileFilterCapture, type CapturedFields } from '../../telemetry/filter-pattern/index.js';
import type { MetricFilterRecord, MetricTransformation } from './model.js';

export interface LogEvent {
  timestamp: number;
  message: string;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const FIELD = /^\$(\.|\[|[A-Za-z_])/;
/** CloudWatch Logs allows three dimensions on a metric filter's metric. */
const MAX_DIMENSIONS = 3;

/** Why a transformation cannot be kept, or undefined when it can. */
export function transformationProblem(t: MetricTransformation): string | undefined {
  if (!NUMBER.test(t.metricValue) && !FIELD.test(t.metricValue)) return `metricValue ${t.metricValue} is neither a number nor a field such as $.value or $size.`;
  const dims = Object.entries(t.dimensions ?? {});
  if (dims.length > MAX_DIMENSIONS) return `A metric filter has at most ${MAX_DIMENSIONS} dimensions.`;
  if (dims.length > 0 && t.defaultValue !== undefined) return 'A metric filter with dimensions cannot have a default value.';
  const literal = dims.find(([, v]) => !FIELD.test(v));
  if (literal) return `Dimension ${literal[0]} must name a field of the event, such as $.${literal[0]}.`;
  return undefined;
}

const numeric = (v: unknown): number | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v);
  return undefined;
};

const single = (v: number) => ({ sampleCount: 1, sum: v, min: v, max: v });

function publicationOf(t: MetricTransformation, event: LogEvent, fields: CapturedFields): Publication | undefined {
  const value = NUMBER.test(t.metricValue) ? Number(t.metricValue) : numeric(fields.get(t.metricValue));
  if (value === undefined) return undefined;
  const dimensions: { name: string; value: string }[] = [];
  for (const [name, ref] of Object.entries(t.dimensions ?? {})) {
    const v = fields.get(ref);
    if (v === undefined || v === null || typeof v === 'object') return undefined;
    dimensions.push({ name, value: String(v) });
  }
  return { namespace: t.metricNamespace, metricName: t.metricName, dimensions, unit: t.unit ?? 'None', timestamp: event.timestamp, values: single(value) };
}

export type MetricFilterRun = (events: readonly LogEvent[]) => Publication[];

/** The filter as a function from a record's events to what they publish (the pattern is checked when the filter is put). */
export function compileMetricFilter(record: MetricFilterRecord): MetricFilterRun {
  const capture = compileFilterCapture(record.filterPattern);
  return (events) => {
    const out: Publication[] = [];
    for (const e of events) {
      const fields = capture(e.message);
      for (const t of record.metricTransformations) {
        if (fields) {
          const p = publicationOf(t, e, fields);
          if (p) out.push(p);
        } else if (t.defaultValue !== undefined) {
          out.push({ namespace: t.metricNamespace, metricName: t.metricName, dimensions: [], unit: t.unit ?? 'None', timestamp: e.timestamp, values: single(t.defaultValue) });
        }
      }
    }
    return out;
  };
}
