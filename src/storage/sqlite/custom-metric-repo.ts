import type Database from 'better-sqlite3';
import { dimensionsKey, type MetricDatum, type MetricIdentity } from '../../domain/custom-metric.js';
import { datumValues, toDatum, toIdentity } from '../rows/custom-metric-rows.js';
import type { CustomMetricRepo } from '../store.js';

const COLUMNS = 'namespace, metric_name, dimensions, unit, minute, sample_count, sum, min, max';

/** Published metrics; a batch merges into the minutes' rows in one transaction. */
export class SqliteCustomMetricRepo implements CustomMetricRepo {
  private readonly mergeBatch: (data: readonly MetricDatum[]) => void;
  private readonly select: Database.Statement<[string, string, string, number, number]>;
  private readonly expire: Database.Statement<[number]>;

  constructor(private readonly db: Database.Database) {
    const upsert = db.prepare(
      `INSERT INTO custom_metrics (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (namespace, metric_name, dimensions, unit, minute) DO UPDATE SET
         sample_count = sample_count + excluded.sample_count, sum = sum + excluded.sum,
         min = MIN(min, excluded.min), max = MAX(max, excluded.max)`,
    );
    this.mergeBatch = db.transaction((data: readonly MetricDatum[]) => {
      for (const d of data) upsert.run(...datumValues(d));
    });
    this.select = db.prepare(`SELECT ${COLUMNS} FROM custom_metrics WHERE namespace = ? AND metric_name = ? AND dimensions = ? AND minute >= ? AND minute < ? ORDER BY minute, unit`);
    this.expire = db.prepare('DELETE FROM custom_metrics WHERE minute < ?');
  }

  async merge(data: readonly MetricDatum[]): Promise<void> {
    if (data.length > 0) this.mergeBatch(data);
  }

  async query(m: MetricIdentity, from: number, to: number): Promise<MetricDatum[]> {
    return this.select.all(m.namespace, m.metricName, dimensionsKey(m.dimensions), from, to).map(toDatum);
  }

  async list(filter: { namespace?: string; metricName?: string }, since: number): Promise<MetricIdentity[]> {
    const rows = this.db
      .prepare(
        `SELECT DISTINCT namespace, metric_name, dimensions FROM custom_metrics
         WHERE minute >= ? AND (? IS NULL OR namespace = ?) AND (? IS NULL OR metric_name = ?)
         ORDER BY namespace, metric_name, dimensions`,
      )
      .all(since, filter.namespace ?? null, filter.namespace ?? null, filter.metricName ?? null, filter.metricName ?? null);
    return rows.map(toIdentity);
  }

  async deleteBefore(minute: number): Promise<number> {
    return this.expire.run(minute).changes;
  }
}
