import { dimensionsKey, type MetricDatum, type MetricIdentity } from '../../domain/custom-metric.js';
import { byKey, datumValues, toDatum, toIdentity } from '../rows/custom-metric-rows.js';
import type { CustomMetricRepo } from '../store.js';
import { changed, transaction, type Db } from './db.js';

const COLUMNS = 'namespace, metric_name, dimensions, unit, minute, sample_count, sum, min, max';

/** Published metrics; each row merges in one statement, so that writes of several nodes add up. */
export class PostgresCustomMetricRepo implements CustomMetricRepo {
  constructor(private readonly db: Db) {}

  async merge(data: readonly MetricDatum[]): Promise<void> {
    if (data.length === 0) return;
    await transaction(this.db, async (tx) => {
      for (const d of [...data].sort(byKey)) {
        await tx.query(
          `INSERT INTO custom_metrics (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (namespace, metric_name, dimensions, unit, minute) DO UPDATE SET
             sample_count = custom_metrics.sample_count + excluded.sample_count, sum = custom_metrics.sum + excluded.sum,
             min = LEAST(custom_metrics.min, excluded.min), max = GREATEST(custom_metrics.max, excluded.max)`,
          [...datumValues(d)],
        );
      }
    });
  }

  async query(m: MetricIdentity, from: number, to: number): Promise<MetricDatum[]> {
    const { rows } = await this.db.query(
      `SELECT ${COLUMNS} FROM custom_metrics WHERE namespace = $1 AND metric_name = $2 AND dimensions = $3 AND minute >= $4 AND minute < $5 ORDER BY minute, unit`,
      [m.namespace, m.metricName, dimensionsKey(m.dimensions), from, to],
    );
    return rows.map(toDatum);
  }

  async list(filter: { namespace?: string; metricName?: string }, since: number): Promise<MetricIdentity[]> {
    const { rows } = await this.db.query(
      `SELECT DISTINCT namespace, metric_name, dimensions FROM custom_metrics
       WHERE minute >= $1 AND ($2::text IS NULL OR namespace = $2) AND ($3::text IS NULL OR metric_name = $3)
       ORDER BY namespace, metric_name, dimensions`,
      [since, filter.namespace ?? null, filter.metricName ?? null],
    );
    return rows.map(toIdentity);
  }

  async deleteBefore(minute: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM custom_metrics WHERE minute < $1', [minute]));
  }
}
