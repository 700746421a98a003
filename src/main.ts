/**
 * Composition root: config -> parts, group by group (src/platform/) -> serve -> start the background;
 * stop in the order src/platform/stop-sequence.ts gives.
 */
import { join } from 'node:path';
import type { AlarmService } from './alarms/alarm-service.js';
import type { AwsRouter } from './api/router.js';
import { loadConfig, type Config, type ConfigInput } from './config/config.js';
import type { Invoker } from './invoke/invoker.js';
import type { AsyncSystem } from './async/async-system.js';
import type { S3System } from './services/s3/s3-system.js';
import type { SnsSystem } from './services/sns/sns-system.js';
import type { PrometheusMetrics } from './telemetry/prometheus.js';
import { lambdaDestinations, type LambdaDestinations } from './services/logs/lambda-destination.js';
import { createAwsApis } from './platform/aws-apis.js';
import { createEvents } from './platform/events.js';
import { createFleet } from './platform/fleet.js';
import { openFoundation } from './platform/foundation.js';
import { createGateways } from './platform/gateways.js';
import { serveHttp } from './platform/http-surface.js';
import { createInvocation } from './platform/invocation.js';
import { createLambda } from './platform/lambda.js';
import { Late } from './platform/late.js';
import { createLogs } from './platform/logs.js';
import { createMessaging } from './platform/messaging.js';
import { createMonitoring } from './platform/monitoring.js';
import type { PlatformOverrides } from './platform/overrides.js';
import type { Parts } from './platform/parts.js';
import { startBackground } from './platform/start-sequence.js';
import { stopPlatform } from './platform/stop-sequence.js';
import { createStreams } from './platform/streams.js';

export type { PlatformOverrides } from './platform/overrides.js';

export interface Platform {
  readonly config: Config;
  /** Base URL of the AWS-compatible APIs, e.g. http://127.0.0.1:9000 */
  readonly url: string;
  /** The same APIs over TLS (`--tls-port`), and the CA certificate clients need to trust it. */
  readonly tlsUrl?: string;
  readonly caFile?: string;
  readonly port: number;
  environmentCount(): number;
  /** Alarms on function metrics; deployments read their states. */
  readonly alarms: AlarmService;
  /** Every AWS operation, callable in process (`router.call('sqs', 'CreateQueue', …)`). */
  readonly router: AwsRouter;
  stop(): Promise<void>;
}

export async function startPlatform(input: ConfigInput, overrides: PlatformOverrides = {}): Promise<Platform> {
  const config = loadConfig(input);
  // Parts that callbacks of earlier parts call.
  const invoker = new Late<Invoker>('the invoker');
  const prometheus = new Late<PrometheusMetrics>('the Prometheus metrics');
  const asyncSystem = new Late<AsyncSystem>('the async system');
  const sns = new Late<SnsSystem>('SNS');
  const s3 = new Late<S3System>('S3');
  const routerLate = new Late<AwsRouter>('the router');
  const logDestinations = new Late<LambdaDestinations>('the log subscription destinations');

  const f = await openFoundation(config, overrides, invoker, routerLate);
  const logs = createLogs(f, prometheus, logDestinations);
  const lambda = await createLambda(f, logs, overrides, asyncSystem);
  const invocation = createInvocation(f, lambda);
  invoker.set(invocation.invoker);
  prometheus.set(invocation.prometheus);
  const fleet = createFleet(f, lambda, invocation);
  const events = createEvents(f, lambda, invocation, fleet, overrides, sns, routerLate);
  asyncSystem.set(events.asyncSystem);
  logDestinations.set(lambdaDestinations(lambda.functions, events.asyncSystem, f.account));
  const monitoring = createMonitoring(f, lambda, invocation, events, fleet, overrides);
  const streams = createStreams(f, lambda, invocation, events, fleet, overrides, sns, s3);
  const messaging = await createMessaging(f, lambda, invocation, events, overrides);
  sns.set(messaging.sns);
  s3.set(messaging.s3);
  const gateways = createGateways(f, logs, invocation, overrides);
  const parts: Parts = { f, logs, lambda, invocation, fleet, events, monitoring, streams, messaging, gateways };
  const { router, cloudformation } = createAwsApis(parts, overrides);
  routerLate.set(router);

  const { http, tlsUrl } = await serveHttp(parts, router);
  const url = f.addresses.url;
  try {
    await fleet.member.join(config.advertise ?? url); // refused while a node of this id beats
  } catch (err) {
    await stopPlatform(parts, cloudformation, http);
    throw err;
  }
  await startBackground(parts, cloudformation);
  f.logger.info('selfless is serving', { url, ...(tlsUrl ? { tlsUrl } : {}), dataDir: config.dataDir, environments: lambda.launcher.description });

  let stopping: Promise<void> | undefined;
  return {
    config,
    url,
    ...(tlsUrl ? { tlsUrl, caFile: join(f.authority!.publicDir, 'ca.pem') } : {}),
    port: http.port,
    environmentCount: () => lambda.pools.environmentCount(),
    alarms: monitoring.alarms,
    router,
    stop: () => (stopping ??= stopPlatform(parts, cloudformation, http)),
  };
}
