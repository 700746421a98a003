/**
 * Logs and published metrics: CloudWatch Logs' sink, metric and subscription filters, EMF lines
 * turned into metrics, log retention.
 */
import { LogFilterSink } from '../services/logs/filter-sink.js';
import type { LambdaDestinations } from '../services/logs/lambda-destination.js';
import { LiveTails } from '../services/logs/live-tail.js';
import { LambdaSubscriptions } from '../services/logs/subscriptions.js';
import { PublishedMetrics } from '../telemetry/cloudwatch/published-metrics.js';
import { EmfLogSink } from '../telemetry/emf-log-sink.js';
import { LogRetention } from '../telemetry/log-retention.js';
import { BufferedLogSink } from '../telemetry/log-sink.js';
import type { PrometheusMetrics } from '../telemetry/prometheus.js';
import type { Foundation } from './foundation.js';
import type { Late } from './late.js';

export type Logs = ReturnType<typeof createLogs>;

export function createLogs(
  { config, store, clock, logger, account }: Foundation,
  prometheus: Late<PrometheusMetrics>,
  /** Where subscription filters deliver: Event invokes, made once functions and async invokes exist. */
  destinations: Late<LambdaDestinations>,
) {
  const publishedMetrics = new PublishedMetrics(store.customMetrics, clock, config.metricsRetentionHours * 3_600_000, { published: (p) => prometheus.get().published(p) });
  const logSink = new BufferedLogSink(store.logs, clock, logger);
  // Every written log event passes its group's metric and subscription filters on its way to the buffer.
  const logSubscriptions = new LambdaSubscriptions((arn, payload, requestId) => destinations.get().deliver(arn, payload, requestId), account.accountId, clock, logger);
  const filteredLogs = new LogFilterSink(logSink, store.logFilters, (m) => publishedMetrics.publish(m), logSubscriptions, clock, logger);
  const functionLogs = new EmfLogSink(filteredLogs, (m) => publishedMetrics.publish(m), logger);
  const logRetention = new LogRetention(store.logs, clock, logger);
  const liveTails = new LiveTails(store.logs, clock, logger);
  return { publishedMetrics, logSink, filteredLogs, logSubscriptions, functionLogs, logRetention, liveTails, destinations };
}
