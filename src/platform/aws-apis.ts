/**
 * Every AWS API: the router with each service's binding, and CloudFormation, whose providers reach
 * every service through the router's in-process call.
 */
import { AwsRouter } from '../api/router.js';
import { cloudformationBinding } from '../services/cloudformation/binding.js';
import { createCloudFormationSystem } from '../services/cloudformation/cloudformation-system.js';
import { bucketAccess } from '../services/cloudformation/s3-access.js';
import { apigatewayBinding } from '../services/apigateway/binding.js';
import { apigatewayv2Binding } from '../services/apigatewayv2/handlers.js';
import { domainHandlersV1 } from '../services/apigateway/domains/handlers-v1.js';
import { domainHandlersV2 } from '../services/apigateway/domains/handlers-v2.js';
import { cloudwatchBinding } from '../services/cloudwatch/api/binding.js';
import { dynamodbBindings } from '../services/dynamodb/api/binding.js';
import { ecrBinding } from '../services/ecr/binding.js';
import { eventsBinding } from '../services/events/api/binding.js';
import { iamBinding } from '../services/iam/binding.js';
import { kinesisBinding } from '../services/kinesis/binding.js';
import { kmsBinding } from '../services/kms/api/binding.js';
import { capacityProviderHandlers } from '../services/lambda/api/capacity-providers.js';
import { concurrencyHandlers } from '../services/lambda/api/concurrency.js';
import { eventInvokeConfigHandlers } from '../services/lambda/api/event-invoke-config.js';
import { eventSourceMappingHandlers } from '../services/lambda/api/event-source-mappings.js';
import { functionUrlHandlers } from '../services/lambda/api/function-urls.js';
import { functionHandlers } from '../services/lambda/api/functions.js';
import { functionScalingHandlers } from '../services/lambda/api/function-scaling.js';
import { invokeHandlers } from '../services/lambda/api/invoke.js';
import { layerHandlers } from '../services/lambda/api/layers.js';
import { provisionedConcurrencyHandlers } from '../services/lambda/api/provisioned-concurrency.js';
import { permissionHandlers } from '../services/lambda/api/permissions.js';
import { tagHandlers } from '../services/lambda/api/tags.js';
import { versionHandlers } from '../services/lambda/api/versions.js';
import { logsBinding } from '../services/logs/api/binding.js';
import { codeFromBucket } from '../services/s3/code-source.js';
import { s3Binding } from '../services/s3/api/binding.js';
import { schedulerBinding } from '../services/scheduler/api/binding.js';
import { secretsManagerBinding } from '../services/secretsmanager/api/binding.js';
import { snsBinding } from '../services/sns/api/binding.js';
import { sqsBinding } from '../services/sqs/api/binding.js';
import { ssmBinding } from '../services/ssm/api/binding.js';
import { stsBinding } from '../services/sts/api/sts.js';
import { lambdaServiceModel } from '../wire/model.js';
import type { PlatformOverrides } from './overrides.js';
import type { Parts } from './parts.js';

export function createAwsApis(p: Parts, overrides: PlatformOverrides) {
  const { config, store, clock, logger, account, authenticator, identities, vault, ownCredentials, addresses } = p.f;
  const { functions, versions, aliases, layers, provisioned, capacityProviders, limiter, codeLinks } = p.lambda;
  const { invoker, queues } = p.invocation;
  const { asyncSystem, eventSystem, scheduler } = p.events;
  const { alarms, compositeAlarms, metricSource, codedeploy } = p.monitoring;
  const { dynamodb, kinesis, mappings } = p.streams;
  const { sns, s3 } = p.messaging;
  const { apigateway, apigatewayv2, httpApis, webSockets, domainNames } = p.gateways;
  const { logSink, filteredLogs, logRetention, liveTails, publishedMetrics, destinations } = p.logs;

  const cloudformation = createCloudFormationSystem({
    repo: store.cloudformation,
    clock: overrides.cloudformationClock ?? clock,
    logger,
    account,
    serverUrl: () => addresses.url,
    call: (prefix, operation, input) => router.call(prefix, operation, input),
    buckets: bucketAccess(s3, config.region),
    signer: ownCredentials,
    customResourceTimeoutMs: Math.max(1, Math.round(config.customResourceTimeoutMs / config.timeScale)),
  });

  const router: AwsRouter = new AwsRouter({
    services: [
      {
        models: [lambdaServiceModel],
        handlers: {
          ...functionHandlers(functions, versions, aliases, layers, account, codeLinks, capacityProviders, codeFromBucket(s3.objects)),
          ...layerHandlers(layers, codeLinks, codeFromBucket(s3.objects)),
          ...permissionHandlers(functions, versions, aliases, account),
          ...tagHandlers(functions, mappings, capacityProviders, account),
          ...functionUrlHandlers(functions, aliases, account, clock, (id) => addresses.public.functionUrl(id)),
          ...versionHandlers(functions, versions, aliases, account),
          ...provisionedConcurrencyHandlers(provisioned, account, (fn, q) => functions.arn(fn, q)),
          ...invokeHandlers(invoker, asyncSystem.events, account, p.fleet.placement),
          ...eventInvokeConfigHandlers(asyncSystem.configs, account),
          ...concurrencyHandlers(functions, limiter, account, config.unreservedMinimum),
          ...eventSourceMappingHandlers(mappings, account),
          ...capacityProviderHandlers(capacityProviders),
          ...functionScalingHandlers(functions, versions, account),
        },
      },
      logsBinding({ repo: store.logs, filters: store.logFilters, resourcePolicies: store.logResourcePolicies, sink: filteredLogs, buffered: logSink, retention: logRetention, liveTails, destinations: destinations.get(), clock, account, logger }),
      sqsBinding(queues, account.accountId),
      stsBinding(identities),
      s3Binding(s3, { authenticator, clock }),
      kmsBinding(vault.keys, vault.crypto, account.accountId),
      secretsManagerBinding(vault.secrets, vault.rotation),
      ssmBinding(vault.parameters, account.accountId),
      cloudwatchBinding({ published: publishedMetrics, source: metricSource, alarms, composites: compositeAlarms, dashboards: store.dashboards, account, clock }),
      ...dynamodbBindings(dynamodb, account),
      snsBinding(sns, account.accountId),
      eventsBinding(eventSystem, account),
      schedulerBinding(scheduler, account),
      apigatewayBinding(apigateway, domainHandlersV1(domainNames, config.region)),
      webSockets.binding,
      apigatewayv2Binding({ service: apigatewayv2, region: config.region, endpoint: (id, protocol) => addresses.public.apiEndpoint(id, protocol === 'WEBSOCKET' ? 'ws' : 'http'), resetAuthorizerCache: (id, stage) => httpApis.resetAuthorizerCache(id, stage), extra: domainHandlersV2(domainNames, config.region) }),
      iamBinding(store.iam, clock, account.accountId),
      ecrBinding(store.ecr, clock, account),
      kinesisBinding(kinesis),
      cloudformationBinding(cloudformation),
      codedeploy.binding,
    ],
    authenticator,
    logger,
    ...(p.fleet.forwarding ? { forwarding: p.fleet.forwarding } : {}),
  });
  return { router, cloudformation };
}
