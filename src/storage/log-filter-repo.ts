/** CloudWatch Logs' filter stores: documents by `groupKey:filterName`. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { MetricFilterRecord, SubscriptionFilterRecord } from '../services/logs/model.js';
import type { DocumentRepo } from './secrets-repo.js';

export interface LogFilterStore {
  readonly metricFilters: DocumentRepo<MetricFilterRecord>;
  readonly subscriptionFilters: DocumentRepo<SubscriptionFilterRecord>;
}
