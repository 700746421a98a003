import { mergeInto, type MetricPoint, type MetricsRepo } from '../../telemetry/metrics.js';
import { toData, toPoint, type MetricRow } from '../rows/metric-rows.js';
import { changed, transaction, type Db } from './db.js';

const KEY = 'function_name = $1 AND kind = $2 AND value = $3 AND minute = $4';

/**
 * One-minute metric points; a flush merges into the minute's rows in one transaction. Rows are
 * locked while merged, so flushes of two nodes add up instead of one overwriting the other.
 */
export class PostgresMetricsRepo implements MetricsRepo {
  constructor(private readonly db: Db) {}

  async merge(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    // One order for every flush, so that two flushes locking the same rows cannot deadlock.
    const sorted = [...points].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    await transaction(this.db, async (tx) => {
      for (const p of sorted) {
        const key = keyOf(p);
        for (;;) {
          const { rows } = await tx.query<MetricRow>(`SELECT * FROM metric_points WHERE ${KEY} FOR UPDATE`, key);
          if (rows[0]) {
            await tx.query(`UPDATE metric_points SET data = $5 WHERE ${KEY}`, [...key, toData(mergeInto(toPoint(rows[0]), p))]);
            break;
          }
          const inserted = await tx.query('INSERT INTO metric_points (function_name, kind, value, minute, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING', [
            ...key,
            toData(p),
          ]);
          // Another flush inserted the row first: read it again, locked, and merge into it.
          if (changed(inserted) === 1) break;
        }
      }
    });
  }

  async query(functionName: string, sinceMinute: number): Promise<MetricPoint[]> {
    const { rows } = await this.db.query<MetricRow>('SELECT * FROM metric_points WHERE function_name = $1 AND minute >= $2 ORDER BY minute, kind, value', [
      functionName,
      sinceMinute,
    ]);
    return rows.map(toPoint);
  }

  async deleteBefore(minute: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM metric_points WHERE minute < $1', [minute]));
  }
}

type Key = [string, string, string, number];
const keyOf = (p: MetricPoint): Key => [p.functionName, p.kind, p.value, p.minute];

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < 3; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a[3] - b[3];
}
