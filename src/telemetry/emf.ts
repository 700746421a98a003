/**
 * CloudWatch's Embedded Metric Format: a JSON log line whose `_aws.CloudWatchMetrics` directives
 * name metrics among its own members (as Powertools Metrics writes them). Each directive's metric,
 * for each of its dimension sets, becomes a publication with the line's namespace, dimensions and unit.
 */
import { z } from 'zod';
import type { Publication } from './cloudwatch/published-metrics.js';

const DirectiveSchema = z.object({
  Namespace: z.string().min(1).max(1024),
  Dimensions: z.array(z.array(z.string()).max(30)),
  Metrics: z.array(z.object({ Name: z.string().min(1).max(1024), Unit: z.string().optional() })).max(100),
});

const EnvelopeSchema = z.object({
  _aws: z.object({ Timestamp: z.number(), CloudWatchMetrics: z.array(DirectiveSchema) }),
});

const MAX_VALUES = 100;

/**
 * The metrics a log line carries, none when it is not EMF. Lambda's runtimes may put a
 * `timestamp\trequestId\tLEVEL\t` prefix before what the function printed: the JSON is what follows.
 */
/** No metrics: one frozen array, not a new one for each of the many lines that carry none. */
const NONE: readonly Publication[] = Object.freeze([]);

export function emfMetrics(message: string): readonly Publication[] {
  if (!message.includes('"_aws"')) return NONE;
  const start = message.indexOf('{');
  let root: unknown;
  try {
    root = JSON.parse(message.slice(start));
  } catch {
    return [];
  }
  const envelope = EnvelopeSchema.safeParse(root);
  if (!envelope.success) return [];
  const members = root as Record<string, unknown>;
  const out: Publication[] = [];
  for (const d of envelope.data._aws.CloudWatchMetrics) {
    const sets = d.Dimensions.length > 0 ? d.Dimensions : [[]];
    for (const set of sets) {
      const dimensions = set.map((name) => ({ name, value: members[name] }));
      // A dimension whose member is missing or not text makes the set invalid, as CloudWatch drops it.
      if (dimensions.some((x) => typeof x.value !== 'string')) continue;
      for (const m of d.Metrics) {
        const values = numbers(members[m.Name]);
        if (values.length === 0) continue;
        out.push({
          namespace: d.Namespace,
          metricName: m.Name,
          dimensions: dimensions as { name: string; value: string }[],
          unit: m.Unit ?? 'None',
          timestamp: envelope.data._aws.Timestamp,
          values: { sampleCount: values.length, sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values) },
        });
      }
    }
  }
  return out;
}

const numbers = (v: unknown): number[] =>
  (Array.isArray(v) ? v.slice(0, MAX_VALUES) : [v]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
