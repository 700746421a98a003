/** CloudWatch Logs' filters on PostgreSQL: document tables (see document-repo.ts). */
import type { Db } from './db.js';
import { MetricFilterRecordSchema, SubscriptionFilterRecordSchema } from '../../services/logs/model.js';
import type { LogFilterStore } from '../log-filter-repo.js';
import { PostgresDocumentRepo } from './document-repo.js';

export const postgresLogFilterStore = (db: Db): LogFilterStore => ({
  metricFilters: new PostgresDocumentRepo(db, 'log_metric_filters', MetricFilterRecordSchema),
  subscriptionFilters: new PostgresDocumentRepo(db, 'log_subscription_filters', SubscriptionFilterRecordSchema),
});
