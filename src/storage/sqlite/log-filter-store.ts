/** CloudWatch Logs' filters on SQLite: document tables (see document-repo.ts). */
import type Database from 'better-sqlite3';
import { MetricFilterRecordSchema, SubscriptionFilterRecordSchema } from '../../services/logs/model.js';
import type { LogFilterStore } from '../log-filter-repo.js';
import { SqliteDocumentRepo } from './document-repo.js';

export const sqliteLogFilterStore = (db: Database.Database): LogFilterStore => ({
  metricFilters: new SqliteDocumentRepo(db, 'log_metric_filters', MetricFilterRecordSchema),
  subscriptionFilters: new SqliteDocumentRepo(db, 'log_subscription_filters', SubscriptionFilterRecordSchema),
});
