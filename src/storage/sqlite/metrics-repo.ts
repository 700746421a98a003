import type Database from 'better-sqlite3';
import { mergeInto, type MetricPoint, type MetricsRepo } from '../../telemetry/metrics.js';
import { toData, toPoint, type MetricRow as Row } from '../rows/metric-rows.js';

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
