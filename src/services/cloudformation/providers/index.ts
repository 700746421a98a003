/**
 * The provider registry: every resource type's provider, merged from one record per service. A
 * service's providers plug in with one line below. Types absent here fail their stack, naming the type.
 */
import type { ProviderRegistry, ResourceProvider } from '../provider.js';
import { apigatewayProviders } from './apigateway.js';
import { apigatewayKeyProviders } from './apigateway-keys.js';
import { apigatewayPartProviders } from './apigateway-parts.js';
import { stageProvider } from './apigateway-stage.js';
import { noopProviders } from './cloudformation.js';
import { cloudwatchProviders } from './cloudwatch.js';
import { codedeployProviders } from './codedeploy.js';
import { dynamodbProviders } from './dynamodb.js';
import { ecrProviders } from './ecr.js';
import { eventsProviders } from './events.js';
import { iamProviders } from './iam.js';
import { lambdaProviders } from './lambda.js';
import { logsProviders } from './logs.js';
import { logsFilterProviders } from './logs-filters.js';
import { s3Providers } from './s3.js';
import { schedulerProviders } from './scheduler.js';
import { secretsProviders } from './secrets.js';
import { snsProviders } from './sns.js';
import { sqsProviders } from './sqs.js';
import { kinesisProviders } from './kinesis.js';
import { kinesisConsumerProviders } from './kinesis-consumer.js';
import { eventsArchiveProviders } from './events-archive.js';
import { eventsApiDestinationProviders } from './events-api-destinations.js';
import { apigatewayv2Providers } from './apigatewayv2.js';
import { apigatewayv2PartProviders } from './apigatewayv2-parts.js';
import { apigatewayDomainProviders } from './apigateway-domains.js';
import { dynamodbGlobalTableProviders } from './dynamodb-global-table.js';
import { eventBusPolicyProviders } from './events-bus-policy.js';
import { instanceProfileProviders } from './iam-instance-profile.js';
import { inlinePolicyProviders } from './inline-policies.js';

export const SERVICE_PROVIDERS: readonly Readonly<Record<string, ResourceProvider>>[] = [
  lambdaProviders,
  sqsProviders,
  iamProviders,
  ecrProviders,
  s3Providers,
  snsProviders,
  eventsProviders,
  schedulerProviders,
  dynamodbProviders,
  secretsProviders,
  cloudwatchProviders,
  logsProviders,
  logsFilterProviders,
  codedeployProviders,
  apigatewayProviders,
  apigatewayKeyProviders,
  apigatewayPartProviders,
  { 'AWS::ApiGateway::Stage': stageProvider },
  kinesisProviders,
  kinesisConsumerProviders,
  eventsArchiveProviders,
  eventsApiDestinationProviders,
  apigatewayv2Providers,
  apigatewayv2PartProviders,
  apigatewayDomainProviders,
  dynamodbGlobalTableProviders,
  eventBusPolicyProviders,
  instanceProfileProviders,
  inlinePolicyProviders,
  noopProviders,
];

/** The registry, with the engine's own types (nested stacks, custom resources) given by the caller. */
export function providerRegistry(...more: readonly Readonly<Record<string, ResourceProvider>>[]): ProviderRegistry {
  const map = new Map<string, ResourceProvider>();
  for (const record of [...SERVICE_PROVIDERS, ...more]) for (const [type, p] of Object.entries(record)) map.set(type, p);
  return map;
}

/** A type's provider; every `Custom::*` type is a custom resource. */
export const providerFor = (registry: ProviderRegistry, type: string): ResourceProvider | undefined =>
  registry.get(type) ?? (type.startsWith('Custom::') ? registry.get('AWS::CloudFormation::CustomResource') : undefined);
