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
import { FrontDoors } from './api/front-door.js';
import { codeDownloadRoutes } from './api/code-download.js';
import { CodeLinks } from './code/code-links.js';
import { loadOrCreateAuthority, serverNames } from './security/tls/authority.js';
import { AwsRouter } from './api/router.js';
import { stsBinding } from './services/sts/api/sts.js';
import { cloudwatchBinding } from './services/cloudwatch/api/binding.js';
import { MetricSource } from './telemetry/cloudwatch/metric-source.js';
import { PublishedMetrics } from './telemetry/cloudwatch/published-metrics.js';
import { dynamodbBindings } from './services/dynamodb/api/binding.js';
import { createDynamoDbSystem } from './services/dynamodb/system.js';
import { concurrencyHandlers } from './services/lambda/api/concurrency.js';
import { eventInvokeConfigHandlers } from './services/lambda/api/event-invoke-config.js';
import { eventSourceMappingHandlers } from './services/lambda/api/event-source-mappings.js';
import { functionHandlers } from './services/lambda/api/functions.js';
import { invokeHandlers } from './services/lambda/api/invoke.js';
import { versionHandlers } from './services/lambda/api/versions.js';
import { provisionedConcurrencyHandlers } from './services/lambda/api/provisioned-concurrency.js';
import { logsBinding } from './services/logs/api/binding.js';
import { LogFilterSink } from './services/logs/filter-sink.js';
import { lambdaDestinations } from './services/logs/lambda-destination.js';
import { LambdaSubscriptions } from './services/logs/subscriptions.js';
import { metricsRoutes } from './api/metrics.js';
import { sqsBinding } from './services/sqs/api/binding.js';
// SNS
import { snsBinding } from './services/sns/api/binding.js';
import { snsSigningCertRoute } from './services/sns/api/signing-cert.js';
import { createSnsSystem } from './services/sns/sns-system.js';
// EventBridge
import { eventsBinding } from './services/events/api/binding.js';
import { createEventSystem } from './services/events/event-system.js';
import { SchedulingCore } from './schedules/scheduling-core.js';
import { ScheduleService } from './services/scheduler/schedule-service.js';
import { schedulerBinding } from './services/scheduler/api/binding.js';
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
import { SqsSourceKind } from './event-sources/sqs-source.js';
import { StreamSourceKind } from './event-sources/stream-source.js';
import { KinesisStreamAdapter } from './event-sources/kinesis-stream.js';
import { DynamoDbStreamAdapter } from './event-sources/dynamodb-stream.js';
import { checkStreamFailureDestination, sendStreamFailure } from './event-sources/failure-destinations.js';
import { AliasService } from './functions/alias-service.js';
import { FunctionService } from './functions/function-service.js';
import { VersionService } from './functions/version-service.js';
import { LayerService } from './functions/layer-service.js';
import { layerHandlers } from './services/lambda/api/layers.js';
import { tagsAndPolicyHandlers } from './services/lambda/api/tags-and-policy.js';
import { functionUrlHandlers } from './services/lambda/api/function-urls.js';
import { FunctionUrlDoor } from './services/function-urls/url-door.js';
import { publicUrls, type PublicUrls } from './api/public-url.js';
import { ProvisionedConcurrencyService } from './functions/provisioned-concurrency.js';
import { LATEST } from './domain/function.js';
import { ConcurrencyLimiter } from './invoke/concurrency.js';
import { Invoker } from './invoke/invoker.js';
import { ScaledClock, systemClock, type Clock } from './lib/clock.js';
import { createLogger, type Logger } from './lib/logger.js';
import { createQueueSystem } from './services/sqs/queue-system.js';
import { createAuthenticator, functionCredentials } from './security/authentication.js';
import { FunctionCredentialIssuer } from './security/function-credentials.js';
import { loadCredentialsFile } from './security/credentials-file.js';
import { openStore } from './storage/open-store.js';
import { Identities } from './security/identities.js';
import { LogRetention } from './telemetry/log-retention.js';
import { BufferedLogSink } from './telemetry/log-sink.js';
import { EmfLogSink } from './telemetry/emf-log-sink.js';
import { MetricsRecorder, type InvocationMetrics } from './telemetry/metrics.js';
import { DeploymentService } from './deployments/deployment-service.js';
import { VersionHealth } from './deployments/version-health.js';
import { deploymentRoutes } from './api/deployments.js';
import { PrometheusMetrics, scrapeSources } from './telemetry/prometheus.js';
import { lambdaServiceModel } from './wire/model.js';
// S3
import { s3Binding } from './services/s3/api/binding.js';
import { createS3System } from './services/s3/s3-system.js';
import { platformSinks } from './services/s3/platform-sinks.js';
// Secrets: KMS, Secrets Manager, SSM Parameter Store, encrypted at rest.
import { openVault, type Vault } from './security/vault.js';
import { kmsBinding } from './services/kms/api/binding.js';
import { secretsManagerBinding } from './services/secretsmanager/api/binding.js';
import { ssmBinding } from './services/ssm/api/binding.js';
import { invokeRotationFunction } from './services/secretsmanager/rotation-invoke.js';
import { codeFromBucket } from './services/s3/code-source.js';
// API Gateway (REST APIs)
import { apigatewayBinding } from './services/apigateway/binding.js';
import { createApiGatewaySystem } from './services/apigateway/system.js';
// API Gateway V2 (HTTP and WebSocket APIs)
import { ApiGatewayV2Service } from './services/apigatewayv2/api-service.js';
import { apigatewayv2Binding } from './services/apigatewayv2/handlers.js';
import { HttpApiDoor } from './services/apigatewayv2/http/http-api-door.js';
// IAM and ECR: stored, not enforced
import { iamBinding } from './services/iam/binding.js';
import { ecrBinding } from './services/ecr/binding.js';
// Kinesis Data Streams
import { kinesisBinding } from './services/kinesis/binding.js';
import { createKinesisSystem } from './services/kinesis/kinesis-system.js';
// CloudFormation
import { createCloudFormationSystem } from './services/cloudformation/cloudformation-system.js';
import { cloudformationBinding } from './services/cloudformation/binding.js';
import { bucketAccess } from './services/cloudformation/s3-access.js';
// CodeDeploy: Lambda deployments, carried out by the gradual deployments
import { createCodeDeploySystem } from './services/codedeploy/system.js';
import { createWebSocketApis, nodeName } from './services/apigatewayv2/websocket/system.js';
import { ParametersSecretsEndpoint } from './extensions/parameters-secrets/endpoint.js';

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

export interface PlatformOverrides {
  clock?: Clock;
  logger?: Logger;
  launcher?: ProcessLauncher;
  /** Time for gradual deployments alone, so tests step through their minutes. */
  deploymentClock?: Clock;
  /** Time for alarm evaluation alone, so tests step through its minutes. */
  alarmClock?: Clock;
  /** Time for secrets alone (rotation schedules, recovery windows, key deletion), so tests step through days. */
  vaultClock?: Clock;
  /** Time for DynamoDB alone (TTL expiry, stream retention), so tests step through it. */
  dynamodbClock?: Clock;
  /** Time for S3 lifecycle rules alone, so tests step through their days. */
  s3LifecycleClock?: Clock;
  /** Time for schedules alone (scheduled rules, Scheduler), so tests step through their minutes. */
  scheduleClock?: Clock;
  /** Time for API Gateway alone (usage plan throttles and quotas, authorizer caches, WebSocket idle and duration limits), so tests step through it. */
  apigatewayClock?: Clock;
  /** Time for Kinesis alone (retention, iterator expiry, throughput seconds), so tests step through hours. */
  kinesisClock?: Clock;
  /** Time for CloudFormation alone (custom resource timeouts), so tests step through an hour. */
  cloudformationClock?: Clock;
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
  // --time-scale: deployments (CodeDeploy's too) and schedules run on a faster clock; async retry
  // backoff and custom resource timeouts shrink by the same factor (their clocks also stamp records
  // and sign URLs, so they keep real time). Alarms keep real time: they read metrics stamped in it.
  const scaledClock: Clock = config.timeScale === 1 ? clock : new ScaledClock(config.timeScale, clock);
  const retryScale = config.asyncRetryScale / config.timeScale;

  // Signatures: verified against --credentials; otherwise any credentials pass, which config allows on loopback only.
  const keys = config.credentials === undefined ? undefined : loadCredentialsFile(config.credentials);
  const ownCredentials = functionCredentials(keys !== undefined, FUNCTION_CREDENTIALS);

  const store = await openStore(config);
  // A missing or wrong master key stops the start here, before anything is served.
  const vault: Vault = await openVault({
    store: store.vault,
    dataDir: config.dataDir,
    masterKeyFile: config.masterKeyFile,
    clock: overrides.vaultClock ?? clock,
    logger,
    account,
    invokeRotation: (arn, event): Promise<void> => invokeRotationFunction(invoker, account, arn, event),
  }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const authenticator = createAuthenticator({ keys, functionKey: { ...ownCredentials, accountId: config.accountId }, sessions: store.sessions, clock, logger });
  // STS sessions; each function's environments act as a session of its execution role.
  const identities = new Identities(store.sessions, clock, account.accountId);
  const functionSessions = new FunctionCredentialIssuer(identities, clock, config.maxEnvironmentAgeMs, ownCredentials);
  // Answers from this server's Secrets Manager and Parameter Store, through the router built below.
  const parametersSecrets: ParametersSecretsEndpoint = new ParametersSecretsEndpoint((prefix, op, input): Promise<unknown> => router.call(prefix, op, input as never), config.extensionPort, clock, logger);
  const code = new CodeStore(join(config.dataDir, 'code'), store.codePackages);
  const publishedMetrics = new PublishedMetrics(store.customMetrics, clock, config.metricsRetentionHours * 3_600_000, { published: (p) => prometheus.published(p) });
  const logSink = new BufferedLogSink(store.logs, clock, logger);
  // Every written log event passes its group's metric and subscription filters on its way to the buffer.
  // Subscription deliveries are Event invokes, through destinations made once functions and async invokes exist (below).
  const logSubscriptions = new LambdaSubscriptions((arn, payload, requestId) => logDestinations.deliver(arn, payload, requestId), account.accountId, clock, logger);
  const filteredLogs = new LogFilterSink(logSink, store.logFilters, (m) => publishedMetrics.publish(m), logSubscriptions, clock, logger);
  const functionLogs = new EmfLogSink(filteredLogs, (m) => publishedMetrics.publish(m), logger);
  const logRetention = new LogRetention(store.logs, clock, logger);
  const limiter = new ConcurrencyLimiter(config.concurrencyLimit);
  let url = '';
  /** The listen address, for environments calling back; `url` is what clients are handed (`--public-url`). */
  let listenUrl = '';
  let addresses: PublicUrls | undefined;
  // Created once in the data dir and kept, so clients and environments can trust it across restarts.
  const authority = config.tlsPort !== undefined ? loadOrCreateAuthority(config.dataDir, new Date(clock.now())) : undefined;
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
      logs: functionLogs,
      runtimeApiHost: '127.0.0.1',
      initTimeoutMs: config.initTimeoutMs,
      idleTimeoutMs: config.idleTimeoutMs,
      maxEnvironmentAgeMs: config.maxEnvironmentAgeMs,
    },
    {
      region: config.region,
      endpointUrl: () => listenUrl,
      credentials: (fn, role) => functionSessions.holder(fn, role),
      parametersSecrets,
      ...(authority ? { trustDir: authority.publicDir } : {}),
    },
    (sha) => code.unpacked(sha),
    (arns) => layers.optDir(arns),
    (env) => vault.resolveEnvironment(env),
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
  const sources = scrapeSources(functions, limiter, queues.queues);
  const prometheus = new PrometheusMetrics(sources);
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
    retryScale,
    metrics,
  });
  const logDestinations = lambdaDestinations(functions, asyncSystem, account);
  // EventBridge: rules deliver to functions through the async machinery above, and to queues.
  const schedules = new SchedulingCore(store.scheduleStates, overrides.scheduleClock ?? scaledClock, logger);
  const eventSystem = createEventSystem({
    repo: store.eventBridge,
    archiveRepo: store.eventArchives,
    publishToTopic: (r) => sns.publisher.publish({ ...r, attributes: {} }),
    states: store.scheduleStates,
    pending: store.eventDeliveries,
    core: schedules,
    functions,
    asyncEvents: asyncSystem.events,
    queues,
    clock,
    logger,
    account,
    retryScale,
  });
  const scheduler = new ScheduleService({
    repo: store.scheduler,
    core: schedules,
    states: store.scheduleStates,
    delivery: eventSystem.delivery,
    // Its dates anchor rate() schedules, so they follow the schedule clock.
    clock: overrides.scheduleClock ?? scaledClock,
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
  // CloudWatch: Lambda's metrics and those callers publish (PutMetricData, EMF lines), read through one source.
  const metricSource = new MetricSource({ lambdaPoints: store.metrics, flushLambda: () => metrics.flush(), custom: store.customMetrics, functionNames: () => sources.functionNames(), clock });
  const deployments = new DeploymentService(store.deployments, versions, aliases, health, (names) => alarms.alarmStates(names), overrides.deploymentClock ?? scaledClock, logger);
  // Its hooks are Event invokes; its traffic shifts are the gradual deployments above.
  const codedeploy = createCodeDeploySystem({
    store: store.codedeploy,
    traffic: deployments,
    invokeAsync: (ref, payload) => asyncSystem.events.submitRef(ref, payload),
    clock,
    deploymentClock: overrides.deploymentClock ?? scaledClock,
    logger,
    account,
  });
  const dynamodb = createDynamoDbSystem(store.dynamodb, overrides.dynamodbClock ?? clock, logger, account);
  const kinesis = createKinesisSystem(store.kinesis, overrides.kinesisClock ?? clock, logger, account);
  // Event source mappings read queues and streams (Kinesis, DynamoDB); stream failures go to SQS or SNS.
  const streamKind = {
    checkpoints: store.streamCheckpoints,
    sendFailure: (arn: string, record: Record<string, unknown>) => sendStreamFailure({ arn, record, destinations: asyncSystem.destinations, sns }),
    checkDestination: (arn: string) => checkStreamFailureDestination(arn, asyncSystem.destinations, sns),
  };
  const mappings = new EventSourceMappingService({
    repo: store.eventSourceMappings,
    functions,
    invoker,
    sources: [
      new SqsSourceKind(queues),
      new StreamSourceKind(new KinesisStreamAdapter(kinesis, config.region), streamKind),
      new StreamSourceKind(new DynamoDbStreamAdapter(dynamodb, config.region), streamKind),
    ],
    clock,
    logger,
    region: config.region,
    accountId: config.accountId,
  });
  // SNS: deliveries to functions are Event invokes through the async machinery.
  const sns = await createSnsSystem({
    repo: store.sns,
    queues,
    invokeAsync: (ref, payload) => asyncSystem.events.submitRef(ref, payload),
    clock,
    logger,
    account,
    baseUrl: () => url,
    dataDir: config.dataDir,
  });

  // S3
  const s3 = createS3System({ repo: store.s3, blobs: store.s3Blobs, clock, logger, region: config.region, sinks: platformSinks(functions, asyncSystem, queues, account, sns), ...(overrides.s3LifecycleClock ? { lifecycleClock: overrides.s3LifecycleClock } : {}) });

  // Code.Location links, checkable on every node that holds the master key.
  const codeLinks = new CodeLinks(vault.derivedKey('code-links'), clock, () => url);
  // API Gateway REST APIs: the control plane, and the execute-api front door that invokes functions.
  const apigateway = createApiGatewaySystem({ repo: store.apigateway, invoker, clock: overrides.apigatewayClock ?? clock, logger, account, authenticator });
  // API Gateway V2: the control plane here, HTTP APIs served by their front door.
  const apigatewayv2 = new ApiGatewayV2Service(store.apigatewayv2, clock);
  const httpApis = new HttpApiDoor({ store: store.apigatewayv2, invoker, authenticator, clock, logger, account, logs: filteredLogs });
  // WebSocket APIs: connections held on this node; functions call back on the listen port (TLS if any).
  let callbackPort = 0;
  const webSockets = createWebSocketApis({ store: store.apigatewayv2, invoker, authenticator, clock: overrides.apigatewayClock ?? clock, logger, account, callbackDomain: (apiId) => `${apiId}.execute-api.localhost:${callbackPort}`, nodeId: nodeName(config.dataDir) });

  // CloudFormation: providers reach every service through the router's in-process call.
  const cloudformation = createCloudFormationSystem({
    repo: store.cloudformation,
    clock: overrides.cloudformationClock ?? clock,
    logger,
    account,
    serverUrl: () => url,
    call: (prefix, operation, input) => router.call(prefix, operation, input),
    buckets: bucketAccess(s3, config.region),
    signer: ownCredentials,
    customResourceTimeoutMs: Math.max(1, Math.round(config.customResourceTimeoutMs / config.timeScale)),
  });

  const router = new AwsRouter({
    services: [
      {
        models: [lambdaServiceModel],
        handlers: {
          ...functionHandlers(functions, versions, aliases, layers, account, codeLinks, codeFromBucket(s3.objects)),
          ...layerHandlers(layers, codeLinks, codeFromBucket(s3.objects)),
          ...tagsAndPolicyHandlers(functions, account),
          ...functionUrlHandlers(functions, aliases, account, clock, (id) => addresses!.functionUrl(id)),
          ...versionHandlers(functions, versions, aliases, account),
          ...provisionedConcurrencyHandlers(provisioned, account, (fn, q) => functions.arn(fn, q)),
          ...invokeHandlers(invoker, asyncSystem.events, account),
          ...eventInvokeConfigHandlers(asyncSystem.configs, account),
          ...concurrencyHandlers(functions, limiter, account, config.unreservedMinimum),
          ...eventSourceMappingHandlers(mappings, account),
        },
      },
      logsBinding({ repo: store.logs, filters: store.logFilters, sink: filteredLogs, buffered: logSink, retention: logRetention, destinations: logDestinations, clock, account, logger }),
      sqsBinding(queues, account.accountId),
      stsBinding(identities),
      s3Binding(s3, { authenticator, clock }),
      kmsBinding(vault.keys, vault.crypto, account.accountId),
      secretsManagerBinding(vault.secrets, vault.rotation),
      ssmBinding(vault.parameters, account.accountId),
      cloudwatchBinding({ published: publishedMetrics, source: metricSource, alarms, account, clock }),
      ...dynamodbBindings(dynamodb, account),
      snsBinding(sns, account.accountId),
      eventsBinding(eventSystem, account),
      schedulerBinding(scheduler, account),
      apigatewayBinding(apigateway),
      webSockets.binding,
      apigatewayv2Binding({ service: apigatewayv2, region: config.region, endpoint: (id, protocol) => addresses!.apiEndpoint(id, protocol === 'WEBSOCKET' ? 'ws' : 'http'), resetAuthorizerCache: (id, stage) => httpApis.resetAuthorizerCache(id, stage) }),
      iamBinding(store.iam, clock, account.accountId),
      ecrBinding(store.ecr, clock, account),
      kinesisBinding(kinesis),
      cloudformationBinding(cloudformation),
      codedeploy.binding,
    ],
    authenticator,
    logger,
  });
  const admin = await startAdminServer((app) => {
    adminRoutes(functions, pools, zygotes, account)(app);
    asyncAdminRoutes(asyncSystem.events, account)(app);
    metricsRoutes(functions, metrics, prometheus, account)(app);
    deploymentRoutes(deployments, functions, account)(app);
    alarmRoutes(alarms)(app);
    eventsAdminRoutes(eventSystem, scheduler, store.scheduleStates)(app);
    snsSigningCertRoute(sns.signer)(app);
    codeDownloadRoutes(codeLinks, store.codePackages)(app);
  }, { loopbackOnly: authenticator.verifies });
  // Function URLs and API Gateway APIs, told apart from AWS API calls by Host or path.
  const doors = new FrontDoors(config.publicUrl ? [new URL(config.publicUrl).hostname] : []);
  doors.add(new FunctionUrlDoor({ functions, invoker, account, clock, authenticator }));
  doors.add(apigateway.door);
  doors.add(httpApis);
  doors.add(webSockets.door);
  await webSockets.apis.start(); // connection records a previous run of this node left, cleared before any handshake
  const http = await startHttpServer(router, admin, doors, config.port, config.host, authority && { port: config.tlsPort!, ...authority.issue(serverNames(config.host)) });
  const port = http.port;
  callbackPort = http.tlsPort ?? port;
  const publicHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  listenUrl = `http://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${port}`;
  addresses = publicUrls(config.publicUrl, listenUrl, config.region);
  url = addresses.base;
  const tlsUrl = http.tlsPort === undefined ? undefined : `https://${publicHost.includes(':') ? `[${publicHost}]` : publicHost}:${http.tlsPort}`;
  void provisioned.restore();
  await asyncSystem.events.start(); // events a previous server left queued or running
  await mappings.start(); // pollers of enabled event source mappings
  await sns.resume(); // HTTP deliveries a previous server left waiting for a retry
  await eventSystem.start(); // the default event bus; scheduled rules join the core
  await scheduler.start(); // the default schedule group; schedules join the core
  schedules.start();
  metrics.start();
  await deployments.restore();
  await codedeploy.restore(); // after the gradual deployments it waits on
  alarms.start();
  logRetention.start();
  s3.lifecycle.start();
  dynamodb.start();
  kinesis.start(); // retention sweeps
  vault.start(); // scheduled secret rotations
  await cloudformation.start(); // stack operations a previous server left under way
  logger.info('selfless is serving', { url, ...(tlsUrl ? { tlsUrl } : {}), dataDir: config.dataDir, environments: (overrides.launcher ?? launcher).description });

  let stopping: Promise<void> | undefined;
  return {
    config,
    url,
    ...(tlsUrl ? { tlsUrl, caFile: join(authority!.publicDir, 'ca.pem') } : {}),
    port,
    environmentCount: () => pools.environmentCount(),
    alarms,
    router,
    stop: () =>
      (stopping ??= (async () => {
        await alarms.stop(); // no evaluation or action once the rest begins to stop
        await cloudformation.stop(config.shutdownGraceMs); // stack operations under way settle, or resume at the next start
        await schedules.stop(); // nothing fires once the rest begins to stop
        await eventSystem.stop(); // no new event deliveries; those under way settle
        await webSockets.apis.close(); // clients told, $disconnect invoked while functions still run
        vault.stop();
        await s3.lifecycle.stop();
        // Pollers first: no new batches; batches under way settle before the store closes.
        const pollersStopped = mappings.stop(config.shutdownGraceMs + 1000);
        await sns.stop(); // HTTP retries cancelled; SQS and Lambda deliveries under way finish
        await queues.stop(); // ends long polls at once
        asyncSystem.events.stop();
        await invoker.drain(config.shutdownGraceMs);
        await Promise.all([pools.stopAll('the server is shutting down'), zygotes.stopAll()]);
        // Invocations ended by the stop above still owe their callers an answer.
        await invoker.drain(1000);
        await asyncSystem.events.drain(); // outcomes recorded before the store closes
        await pollersStopped;
        await http.close();
        await parametersSecrets.close();
        await logSink.flush();
        await functionLogs.drain(); // EMF metrics stored before the store closes
        await filteredLogs.stop();
        await logSubscriptions.drain();
        await logRetention.stop();
        await dynamodb.stop();
        await kinesis.stop();
        codedeploy.stop();
        deployments.stop();
        await metrics.stop();
        await store.close();
        cgroups.dispose();
        logger.info('selfless stopped');
      })()),
  };
}
