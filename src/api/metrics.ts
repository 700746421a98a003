/** Metrics routes: `/metrics` for Prometheus, and a function's summary as JSON for people and the CLI. */
import type { FastifyInstance } from 'fastify';
import { sendAdminError } from './admin-errors.js';
import type { FunctionService } from '../functions/function-service.js';
import type { MetricsRecorder, MetricsStats } from '../telemetry/metrics.js';
import type { PrometheusMetrics } from '../telemetry/prometheus.js';
import { parseFunctionRef, type Account } from '../wire/arn.js';
import { Errors } from '../wire/errors.js';

/** The longest window a summary covers: 14 days, the default retention. */
const MAX_MINUTES = 14 * 24 * 60;

export function metricsRoutes(functions: FunctionService, recorder: MetricsRecorder, prometheus: PrometheusMetrics, account: Account) {
  return (app: FastifyInstance): void => {
    app.get('/metrics', async (_req, reply) => reply.header('content-type', prometheus.contentType).send(await prometheus.scrape()));

    app.get<{ Params: { name: string }; Querystring: { minutes?: string } }>('/_selfless/functions/:name/metrics', async (req, reply) => {
      try {
        const minutes = req.query.minutes ?? '60';
        if (!/^\d+$/.test(minutes) || Number(minutes) < 1 || Number(minutes) > MAX_MINUTES) {
          throw Errors.invalidParameter(`minutes must be a whole number from 1 to ${MAX_MINUTES}.`);
        }
        const { name } = parseFunctionRef(account, req.params.name);
        await functions.get(name);
        const s = await recorder.summary(name, Number(minutes));
        return {
          FunctionName: s.functionName,
          Minutes: s.minutes,
          From: new Date(s.from).toISOString(),
          To: new Date(s.to).toISOString(),
          Total: { ...render(s.total), ...renderAsync(s.total) },
          Versions: s.versions.map((v) => ({ Version: v.name, ...render(v.stats) })),
          Aliases: s.aliases.map((a) => ({ Alias: a.name, ...render(a.stats) })),
          PerMinute: s.perMinute.map((p) => ({ Minute: new Date(p.minute).toISOString(), ...render(p.stats), ...renderAsync(p.stats) })),
        };
      } catch (err) {
        return sendAdminError(reply, err);
      }
    });
  };
}

const render = (s: MetricsStats) => ({
  Invocations: s.invocations,
  Errors: s.errors,
  Throttles: s.throttles,
  Duration: { Avg: s.duration.avgMs, P50: s.duration.p50Ms, P90: s.duration.p90Ms, P99: s.duration.p99Ms, Max: s.duration.maxMs },
  ColdStarts: s.coldStarts,
  InitDurationAvg: s.initDurationAvgMs,
  MaxMemoryUsedMb: s.maxMemoryUsedMb,
  BilledDurationMs: s.billedDurationMs,
  GbSeconds: s.gbSeconds,
  MaxConcurrentExecutions: s.maxConcurrentExecutions,
});

/** Lambda's async metrics exist per function only: the total and per-minute rows carry them. */
const renderAsync = ({ async: a }: MetricsStats) => ({
  AsyncEventsReceived: a.eventsReceived,
  AsyncEventAgeMaxMs: a.eventAgeMaxMs,
  AsyncEventsDropped: a.eventsDropped,
  DestinationDeliveryFailures: a.destinationDeliveryFailures,
  DeadLetterErrors: a.deadLetterErrors,
});

export type RenderedStats = ReturnType<typeof render>;
export type RenderedAsyncStats = ReturnType<typeof renderAsync>;
