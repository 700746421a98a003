/** Composition root: config -> services -> start; stop in reverse order. */
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { AlarmActions } from './alarms/actions.js';
import { AlarmService } from './alarms/alarm-service.js';
import { adminRoutes } from './api/admin.js';
import { alarmRoutes } from './api/alarms.js';
import { asyncAdminRoutes } from './api/async-admin.js';
import { startAdminServer } from './api/admin-server.js';
import { startHttpServer } from './api/http-server.js';
import { AwsRouter } from './api/router.js';
import { stsBinding } from './api/sts/sts.js';
import { concurrencyHandlers } from './api/lambda/concurrency.js';
import { eventInvokeConfigHandlers } from './api/lambda/event-invoke-config.js';
import { eventSourceMappingHandlers } from './api/lambda/event-source-mappings.js';
import { functionHandlers } from './api/lambda/functions.js';
import { invokeHandlers } from './api/lambda/invoke.js';
import { versionHandlers } from './api/lambda/versions.js';
import { provisionedConcurrencyHandlers } from './api/lambda/provisioned-concurrency.js';
import { logsHandlers } from './api/logs/logs.js';
import { metricsRoutes } from './api/metrics.js';
import { sqsBinding } from './api/sqs/binding.js';
// EventBridge
import { eventsBinding } from './api/events/binding.js';
import { createEventSystem } from './events/event-system.js';
import { SchedulingCore } from './schedules/scheduling-core.js';
import { ScheduleService } from './scheduler/schedule-service.js';
import { schedulerBinding } from './api/scheduler/binding.js';
import { eventsAdminRoutes } from './api/events-admin.js';
import { createAsyncSystem } from './async/async-system.js';
import { CodeStore } from './code/code-store.js';
import { loadConfig, type Config, type ConfigInput } from './config/config.js';
import type { ProcessLauncher } from './environments/launcher.js';
import { PoolRegistry } from './environments/registry.js';
import { selectLauncher } from './environments/sandbox/select-launcher.js';
import { ZygotePool } from './environments/zygote.js';
import { defaultConcurrentStarts, defaultMaxEnvironments, StartGate } from './environments/start-gate.js';
import { EventSourceMappingService } from './event-sources/mapping-service.js';
import { AliasService } from './functions/alias-service.js';
import { FunctionService } from './functions/function-service.js';
import { VersionService } from './functions/version-service.js';
import { LayerService } from './functions/layer-service.js';
import { layerHandlers } from './api/lambda/layers.js';
import { tagsAndPolicyHandlers } from './api/lambda/tags-and-policy.js';
import { functionUrlHandlers } from './api/lambda/function-urls.js';
import { functionUrlRoutes } from './api/function-url-server.js';
import { ProvisionedConcurrencyService } from './functions/provisioned-concurrency.js';
import { LATEST } from './domain/function.js';
import { ConcurrencyLimiter } from './invoke/concurrency.js';
import { Invoker } from './invoke/invoker.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createQueueSystem } from './queues/queue-system.js';
import { acceptAnySignature } from './security/authenticator.js';
import { openStore } from './storage/open-store.js';
import { Identities } from './security/identities.js';
import { LogRetention } from './telemetry/log-retention.js';
import { BufferedLogSink } from './telemetry/log-sink.js';
import { MetricsRecorder, type InvocationMetrics } from './telemetry/metrics.js';
import { DeploymentService } from './deployments/deployment-service.js';
import { VersionHealth } from './deployments/version-health.js';
import { deploymentRoutes } from './api/deployments.js';
import { PrometheusMetrics, scrapeSources } from './telemetry/prometheus.js';
import { lambdaServiceModel, logsServiceModel } from './wire/model.js';

export interface Platform {
  readonly config: Config;
  /** Base URL of the AWS-compatible APIs, e.g. http://127.0.0.1:9000 */
  readonly url: string;
  readonly port: number;
  environmentCount(): number;
  /** Alarms on function metrics; deployments read their states. */
  readonly alarms: AlarmService;
  stop(): Promise<void>;
}

export interface PlatformOverrides {
  clock?: Clock;
  logger?: Logger;
  launcher?: ProcessLauncher;
  /** Time for gradual deployments alone, so tests step through their minutes. */
  deploymentClock?: Clock;
  /** Time for alarm evaluation alone, so tests step through its minutes. */
  alarmClock?: Clock;
  /** Time for schedules alone (scheduled rules, Scheduler), so tests step through their minutes. */
  scheduleClock?: Clock;
}

/** Credentials the AWS SDK inside a function uses to call this server back. */
const FUNCTION_CREDENTIALS = {
  accessKeyId: 'ASIASELFLESSFUNCTION',
  secretAccessKey: 'selfless-function-secret-access-key',
  sessionToken: 'selfless-function-session-token',
};

export async function startPlatform(input: ConfigInput, overrides: PlatformOverrides = {}): Promise<Platform> {
  const config = loadConfig(input);
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const account = { region: config.region, accountId: config.accountId };

  const store = await openStore(config);
  const code = new CodeStore(join(config.dataDir, 'code'), store.codePackages);
  const logSink = new BufferedLogSink(store.logs, clock, logger);
  const logRetention = new LogRetention(store.logs, clock, logger);
  const limiter = new ConcurrencyLimiter(config.concurrencyLimit);
  let url = '';
  const { launcher, cgroups } = selectLauncher(config.sandbox, join(config.dataDir, 'sandbox'), logger, config.cgroups);
  // In a sandbox, only an environment's own processes may use its Runtime API (see peer-check.ts).
  const admitPeers = (overrides.launcher ?? launcher).sandboxed;
  const gate = new StartGate(
    config.concurrentStarts ?? defaultConcurrentStarts(availableParallelism()),
    config.maxEnvironments ?? defaultMaxEnvironments(totalmem()),
  );
  const zygotes = new ZygotePool(
    { launcher: overrides.launcher ?? launcher, logger, runtimeApiHost: '127.0.0.1', slotsDir: join(config.dataDir, 'slots'), freeze: config.freeze, admitPeers, gate },
    config.prestartedRuntimes,
  );
  const pools = new PoolRegistry(
    {
      zygotes,
      gate,
      launcher: overrides.launcher ?? launcher,
      freeze: config.freeze,
      admitPeers,
      clock,
      logger,
      logs: logSink,
      runtimeApiHost: '127.0.0.1',
      initTimeoutMs: config.initTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxEnvironmentAgeMs: config.maxEnvironmentAgeMs,
    },
    { region: config.region, endpointUrl: () => url, credentials: FUNCTION_CREDENTIALS },
    (sha) => code.unpacked(sha),
    (arns) => layers.optDir(arns),
  );
  const layers = new LayerService(store.layers, code, clock, account);
  const functions = new FunctionService(store.functions, code, clock, account, {
    functionChanged: (name, change) => {
      if (change !== 'created') pools.reset(name, change === 'latest' ? LATEST : undefined);
      // A deployed function finds a pre-started runtime waiting for its first invocation.
      if (change !== 'deleted') void functions.get(name).then((fn) => pools.prestartFor(fn.config), () => undefined);
      if (change === 'deleted') aliases.forget(name);
      if (change === 'deleted') void asyncSystem.configs.forget(name).catch((err: unknown) => logger.warn('could not delete event invoke configs', { function: name, error: String(err) }));
    },
    reservedConcurrencyChanged: (total) => limiter.setTotalReserved(total),
  });
  const versions = new VersionService(functions, store.versions, store.aliases, store.provisioned, clock, (name, version) => pools.reset(name, version));
  const aliases = new AliasService(functions, versions, store.aliases, (name) => void provisioned.reconcile(name));
  const provisioned = new ProvisionedConcurrencyService(functions, versions, aliases, store.provisioned, pools, clock, logger);
  limiter.setTotalReserved(await functions.totalReserved());
  const queues = createQueueSystem(store.queues, clock, account, () => url);
  const prometheus = new PrometheusMetrics(scrapeSources(functions, limiter, queues.queues));
  const metrics = new MetricsRecorder({ repo: store.metrics, clock, logger, retentionHours: config.metricsRetentionHours, live: prometheus });
  const health = new VersionHealth();
  const observers: InvocationMetrics = {
    invoked: (target, result, concurrent) => {
      metrics.invoked(target, result, concurrent);
      health.invoked(target, result);
    },
    throttled: (target) => metrics.throttled(target),
  };
  const invoker = new Invoker(functions, versions, aliases, pools, limiter, clock, observers);
  const asyncSystem = createAsyncSystem({
    events: store.asyncEvents,
    configs: store.eventInvokeConfigs,
    invoker,
    functions,
    versions,
    aliases,
    queues,
    clock,
    logger,
    account,
    retryScale: config.asyncRetryScale,
    metrics,
  });
  // EventBridge: rules deliver to functions through the async machinery above, and to queues.
  const schedules = new SchedulingCore(store.scheduleStates, overrides.scheduleClock ?? clock, logger);
  const eventSystem = createEventSystem({
    repo: store.eventBridge,
    states: store.scheduleStates,
    pending: store.eventDeliveries,
    core: schedules,
    functions,
    asyncEvents: asyncSystem.events,
    queues,
    clock,
    logger,
    account,
    retryScale: config.asyncRetryScale,
  });
  const scheduler = new ScheduleService({
    repo: store.scheduler,
    core: schedules,
    states: store.scheduleStates,
    delivery: eventSystem.delivery,
    // Its dates anchor rate() schedules, so they follow the schedule clock.
    clock: overrides.scheduleClock ?? clock,
    account,
  });
  const alarms = new AlarmService({
    repo: store.alarms,
    metrics: store.metrics,
    flushMetrics: () => metrics.flush(),
    actions: new AlarmActions(asyncSystem.destinations, logger),
    clock: overrides.alarmClock ?? clock,
    logger,
    account,
  });
  const deployments = new DeploymentService(store.deployments, versions, aliases, health, (names) => alarms.alarmStates(names), overrides.deploymentClock ?? clock, logger);
  const mappings = new EventSourceMappingService({ repo: store.eventSourceMappings, functions, invoker, queues, clock, logger, region: config.region });

  const router = new AwsRouter({
    services: [
      {
        models: [lambdaServiceModel],
        handlers: {
          ...functionHandlers(functions, versions, aliases, layers, account),
          ...layerHandlers(layers),
          ...tagsAndPolicyHandlers(functions, account),
          ...functionUrlHandlers(functions, aliases, account, clock, () => url),
          ...versionHandlers(functions, versions, aliases, account),
          ...provisionedConcurrencyHandlers(provisioned, account, (fn, q) => functions.arn(fn, q)),
          ...invokeHandlers(invoker, asyncSystem.events, account),
          ...eventInvokeConfigHandlers(asyncSystem.configs, account),
          ...concurrencyHandlers(functions, limiter, account, config.unreservedMinimum),
          ...eventSourceMappingHandlers(mappings, account),
        },
      },
      { models: [logsServiceModel], handlers: logsHandlers(store.logs, logSink, logRetention, account) },
      sqsBinding(queues, account.accountId),
      stsBinding(new Identities(store.sessions, clock, account.accountId)),
      eventsBinding(eventSystem, account),
      schedulerBinding(scheduler, account),
    ],
    authenticator: acceptAnySignature,
    logger,
  });
  const admin = await startAdminServer((app) => {
    adminRoutes(functions, pools, zygotes, account)(app);
    asyncAdminRoutes(asyncSystem.events, account)(app);
    metricsRoutes(functions, metrics, prometheus, account)(app);
    deploymentRoutes(deployments, functions, account)(app);
    functionUrlRoutes(functions, invoker, account, clock)(app);
    alarmRoutes(alarms)(app);
    eventsAdminRoutes(eventSystem, scheduler, store.scheduleStates)(app);
  });
  const http = await startHttpServer(router, admin, config.port, config.host);
  const port = http.port;
  const publicHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  url = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
  void provisioned.restore();
  await asyncSystem.events.start(); // events a previous server left queued or running
  await mappings.start(); // pollers of enabled event source mappings
  await eventSystem.start(); // the default event bus; scheduled rules join the core
  await scheduler.start(); // the default schedule group; schedules join the core
  schedules.start();
  metrics.start();
  await deployments.restore();
  alarms.start();
  logRetention.start();
  logger.info('selfless is serving', { url, dataDir: config.dataDir, environments: (overrides.launcher ?? launcher).description });

  let stopping: Promise<void> | undefined;
  return {
    config,
    url,
    port,
    environmentCount: () => pools.environmentCount(),
    alarms,
    stop: () =>
      (stopping ??= (async () => {
        await alarms.stop(); // no evaluation or action once the rest begins to stop
        await schedules.stop(); // nothing fires once the rest begins to stop
        await eventSystem.stop(); // no new event deliveries; those under way settle
        // Pollers first: no new batches; batches under way settle before the store closes.
        const pollersStopped = mappings.stop(config.shutdownGraceMs + 1000);
        await queues.stop(); // ends long polls at once
        asyncSystem.events.stop();
        await invoker.drain(config.shutdownGraceMs);
        await Promise.all([pools.stopAll('the server is shutting down'), zygotes.stopAll()]);
        // Invocations ended by the stop above still owe their callers an answer.
        await invoker.drain(1000);
        await asyncSystem.events.drain(); // outcomes recorded before the store closes
        await pollersStopped;
        await http.close();
        await logSink.flush();
        await logRetention.stop();
        deployments.stop();
        await metrics.stop();
        await store.close();
        cgroups.dispose();
        logger.info('selfless stopped');
      })()),
  };
}
