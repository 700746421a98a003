/**
 * Pull sources (SQS, Kinesis, DynamoDB streams): an event source mapping, and on the execution role
 * the managed policy that lets Lambda read the source (plus one for an on-failure destination).
 */
import { awsManagedPolicyArn, addInlinePolicy, addManagedPolicy } from '../function/role.js';
import { isIntrinsic, isObject, type Json, type JsonObject } from '../intrinsics.js';
import { cfn } from '../model.js';
import type { Emitted } from '../translation.js';
import { checkProperties, eventError, type EventInput } from './common.js';

const COMMON = [
  'BatchSize', 'StartingPosition', 'StartingPositionTimestamp', 'Enabled', 'MaximumBatchingWindowInSeconds',
  'MaximumRetryAttempts', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds', 'DestinationConfig',
  'ParallelizationFactor', 'Topics', 'Queues', 'SourceAccessConfigurations', 'SecretsManagerKmsKeyId',
  'TumblingWindowInSeconds', 'FunctionResponseTypes', 'KafkaBootstrapServers', 'FilterCriteria', 'KmsKeyArn',
  'ConsumerGroupId', 'ScalingConfig', 'ProvisionedPollerConfig', 'SchemaRegistryConfig', 'MetricsConfig', 'LoggingConfig',
];
/** Copied onto the mapping as they are. */
const MAPPED = [
  'StartingPosition', 'StartingPositionTimestamp', 'BatchSize', 'Enabled', 'MaximumBatchingWindowInSeconds',
  'MaximumRetryAttempts', 'BisectBatchOnFunctionError', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor', 'Topics',
  'Queues', 'SourceAccessConfigurations', 'TumblingWindowInSeconds', 'FunctionResponseTypes', 'FilterCriteria', 'KmsKeyArn',
  'ScalingConfig', 'ProvisionedPollerConfig', 'MetricsConfig', 'LoggingConfig',
];

const SOURCES: Record<string, { arnProperty: string; required: string[]; policy: string }> = {
  SQS: { arnProperty: 'Queue', required: ['Queue'], policy: 'service-role/AWSLambdaSQSQueueExecutionRole' },
  Kinesis: { arnProperty: 'Stream', required: ['Stream', 'StartingPosition'], policy: 'service-role/AWSLambdaKinesisExecutionRole' },
  DynamoDB: { arnProperty: 'Stream', required: ['Stream', 'StartingPosition'], policy: 'service-role/AWSLambdaDynamoDBExecutionRole' },
};

export function translatePull(input: EventInput): Emitted {
  const source = SOURCES[input.type]!;
  const p = input.properties;
  checkProperties(input, [...COMMON, source.arnProperty], source.required);
  if (p['ConsumerGroupId']) throw eventError(input, `Property ConsumerGroupId not defined for resource of type ${input.type}.`);
  const filter = p['FilterCriteria'];
  if (filter && !isIntrinsic(filter) && isObject(filter)) {
    const keys = Object.keys(filter);
    if (!(keys.length === 0 || (keys.length === 1 && keys[0] === 'Filters'))) {
      throw eventError(input, 'FilterCriteria field has a wrong format');
    }
  }
  const mapping = cfn('AWS::Lambda::EventSourceMapping', { FunctionName: input.target.name, EventSourceArn: p[source.arnProperty] }, { ...input.target.attributes });
  for (const name of MAPPED) mapping.Properties[name] = p[name];

  let destinationPolicy: JsonObject | undefined;
  if (p['DestinationConfig']) {
    const onFailure = isObject(p['DestinationConfig']) ? p['DestinationConfig']['OnFailure'] : undefined;
    if (!isObject(onFailure)) throw eventError(input, "Property 'DestinationConfig.OnFailure' should be a map.");
    const type = onFailure['Type'];
    if (type) {
      delete onFailure['Type'];
      const dest = onFailure['Destination'] ?? null;
      if (type === 'SQS') destinationPolicy = statementPolicy(`${input.logicalId}SQSPolicy`, [{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: dest }]);
      else if (type === 'SNS') destinationPolicy = statementPolicy(`${input.logicalId}SNSPolicy`, [{ Action: 'sns:publish', Effect: 'Allow', Resource: dest }]);
      else if (type === 'S3') {
        destinationPolicy = statementPolicy(`${input.logicalId}S3Policy`, [
          { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['/', [dest, '*']] } },
          { Action: 's3:ListBucket', Effect: 'Allow', Resource: dest },
        ]);
      } else if (type !== 'Kafka') throw eventError(input, "The only valid values for 'Type' are 'SQS', 'SNS', 'S3', and 'Kafka'");
    }
    mapping.Properties['DestinationConfig'] = p['DestinationConfig'];
  }

  addManagedPolicy(input.role, awsManagedPolicyArn(input.t.ctx.partition, source.policy));
  if (destinationPolicy) addInlinePolicy(input.role, destinationPolicy);
  return [[input.logicalId, mapping]];
}

const statementPolicy = (name: string, statements: Json[]): JsonObject => ({ PolicyName: name, PolicyDocument: { Statement: statements } });
