/**
 * The invoke path and what it is measured by: the Invoker, Lambda's metrics (stored and Prometheus),
 * the health of versions under deployment, and the SQS queues whose depths the scrape counts.
 */
import { VersionHealth } from '../deployments/version-health.js';
import { Invoker } from '../invoke/invoker.js';
import { createQueueSystem } from '../services/sqs/queue-system.js';
import { MetricsRecorder, type InvocationMetrics } from '../telemetry/metrics.js';
import { PrometheusMetrics, scrapeSources } from '../telemetry/prometheus.js';
import type { Foundation } from './foundation.js';
import type { Lambda } from './lambda.js';

export type Invocation = ReturnType<typeof createInvocation>;

export function createInvocation({ config, store, clock, logger, account, addresses }: Foundation, { functions, versions, aliases, pools, limiter }: Lambda) {
  const queues = createQueueSystem(store.queues, clock, account, () => addresses.url, store.signals);
  const sources = scrapeSources(functions, limiter, queues.queues);
  const prometheus = new PrometheusMetrics(sources);
  const metrics = new MetricsRecorder({ repo: store.metrics, clock, logger, retentionHours: config.metricsRetentionHours, live: prometheus });
  const health = new VersionHealth();
  const observers: InvocationMetrics = {
    // Called as an invocation's log closes, after its answer: nothing here may fail the invoke path.
    invoked: (target, result, concurrent) => {
      try {
        metrics.invoked(target, result, concurrent);
        health.invoked(target, result);
      } catch (err) {
        logger.error('could not count an invocation', { error: (err as Error).message });
      }
    },
    throttled: (target) => metrics.throttled(target),
  };
  const invoker = new Invoker(functions, versions, aliases, pools, limiter, clock, observers);
  return { queues, sources, prometheus, metrics, health, invoker };
}
