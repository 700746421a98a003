import type Database from 'better-sqlite3';
import { z } from 'zod';
import { emptyPoint, mergeInto, type DimensionKind, type MetricPoint, type MetricsRepo } from '../../telemetry/metrics.js';

interface Row {
  function_name: string;
  kind: DimensionKind;
  value: string;
  minute: number;
  data: string;
}

/** Everything but the key, as JSON; duration buckets as [index, count] pairs, since most are empty. */
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
});

/** One-minute metric points; a flush merges into the minute's row in one transaction. */
export class SqliteMetricsRepo implements MetricsRepo {
  private readonly mergeBatch: (points: readonly MetricPoint[]) => void;

  constructor(private readonly db: Database.Database) {
    const select = db.prepare<[string, string, string, number], Row>(
      'SELECT * FROM metric_points WHERE function_name = ? AND kind = ? AND value = ? AND minute = ?',
    );
    const upsert = db.prepare(
      'INSERT OR REPLACE INTO metric_points (function_name, kind, value, minute, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.mergeBatch = db.transaction((points: readonly MetricPoint[]) => {
      for (const p of points) {
        const row = select.get(p.functionName, p.kind, p.value, p.minute);
        const merged = row ? mergeInto(toPoint(row), p) : p;
        upsert.run(p.functionName, p.kind, p.value, p.minute, toData(merged));
      }
    });
  }

  async merge(points: readonly MetricPoint[]): Promise<void> {
    if (points.length > 0) this.mergeBatch(points);
  }

  async query(functionName: string, sinceMinute: number): Promise<MetricPoint[]> {
    return this.db
      .prepare<[string, number], Row>('SELECT * FROM metric_points WHERE function_name = ? AND minute >= ? ORDER BY minute')
      .all(functionName, sinceMinute)
      .map(toPoint);
  }

  async deleteBefore(minute: number): Promise<number> {
    return this.db.prepare('DELETE FROM metric_points WHERE minute < ?').run(minute).changes;
  }
}

function toData(p: MetricPoint): string {
  const { functionName: _f, kind: _k, value: _v, minute: _m, durationBuckets, ...rest } = p;
  const pairs: [number, number][] = [];
  durationBuckets.forEach((n, i) => n && pairs.push([i, n]));
  return JSON.stringify({ ...rest, durationBuckets: pairs });
}

function toPoint(row: Row): MetricPoint {
  const { durationBuckets, ...rest } = Data.parse(JSON.parse(row.data));
  const buckets: number[] = [];
  for (const [i, n] of durationBuckets) buckets[i] = n;
  return { ...emptyPoint(row.function_name, row.kind, row.value, row.minute), ...rest, durationBuckets: buckets };
}
