/** Logs and published metrics: CloudWatch Logs' sink, EMF lines turned into metrics, log retention. */
import { PublishedMetrics } from '../telemetry/cloudwatch/published-metrics.js';
import { EmfLogSink } from '../telemetry/emf-log-sink.js';
import { LogRetention } from '../telemetry/log-retention.js';
import { BufferedLogSink } from '../telemetry/log-sink.js';
import type { PrometheusMetrics } from '../telemetry/prometheus.js';
import type { Foundation } from './foundation.js';
import type { Late } from './late.js';

export type Logs = ReturnType<typeof createLogs>;

export function createLogs({ config, store, clock, logger }: Foundation, prometheus: Late<PrometheusMetrics>) {
  const publishedMetrics = new PublishedMetrics(store.customMetrics, clock, config.metricsRetentionHours * 3_600_000, { published: (p) => prometheus.get().published(p) });
  const logSink = new BufferedLogSink(store.logs, clock, logger);
  const functionLogs = new EmfLogSink(logSink, (m) => publishedMetrics.publish(m), logger);
  const logRetention = new LogRetention(store.logs, clock, logger);
  return { publishedMetrics, logSink, functionLogs, logRetention };
}
