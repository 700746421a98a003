/**
 * SNS: a subscription of the function to the topic (and the permission for SNS to invoke it), or with
 * SqsSubscription a queue in between: queue, queue policy, subscription and an SQS mapping.
 */
import { eventError, checkProperties, permission, type EventInput } from './common.js';
import { getAtt, isObject, logicalIdOf, ref, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, type CfnResource } from '../model.js';
import type { Emitted } from '../translation.js';
import { translatePull } from './pull.js';

const KNOWN = ['Topic', 'Region', 'FilterPolicy', 'FilterPolicyScope', 'SqsSubscription', 'RedrivePolicy'];

export function translateSns(input: EventInput): Emitted {
  checkProperties(input, KNOWN, ['Topic']);
  const p = input.properties;
  const topic = p['Topic']!;
  const sqs = p['SqsSubscription'];
  if (!sqs) {
    return [permission(input, 'sns.amazonaws.com', { SourceArn: topic }), subscription(input, 'lambda', input.target.arn)];
  }
  if (typeof sqs === 'boolean') {
    const queueId = `${input.logicalId}Queue`;
    const fifo = fifoTopic(input, logicalIdOf(topic));
    const queue = cfn('AWS::SQS::Queue', { FifoQueue: fifo ? fifo : undefined }, { ...input.target.attributes });
    const queueArn = getAtt(queueId, 'Arn');
    return [
      ...mapping(input, queueArn, 10, true),
      [queueId, queue],
      queuePolicy(input, `${input.logicalId}QueuePolicy`, topic, queueArn, ref(queueId)),
      subscription(input, 'sqs', queueArn),
    ];
  }
  if (!isObject(sqs)) throw eventError(input, "Property 'SqsSubscription' should be a map.");
  const queueArn = sqs['QueueArn'];
  const queueUrl = sqs['QueueUrl'];
  if (!queueArn || !queueUrl) throw eventError(input, 'No QueueARN or QueueURL provided.');
  const policyId = typeof sqs['QueuePolicyLogicalId'] === 'string' ? sqs['QueuePolicyLogicalId'] : `${input.logicalId}QueuePolicy`;
  return [
    ...mapping(input, queueArn, sqs['BatchSize'] || 10, sqs['Enabled'] ?? undefined),
    queuePolicy(input, policyId, topic, queueArn, queueUrl),
    subscription(input, 'sqs', queueArn),
  ];
}

function subscription(input: EventInput, protocol: string, endpoint: Json): [string, CfnResource] {
  const p = input.properties;
  return [
    input.logicalId,
    cfn(
      'AWS::SNS::Subscription',
      {
        Protocol: protocol,
        Endpoint: endpoint,
        TopicArn: p['Topic'],
        Region: p['Region'],
        FilterPolicy: p['FilterPolicy'],
        FilterPolicyScope: p['FilterPolicyScope'],
        RedrivePolicy: p['RedrivePolicy'],
      },
      { ...input.target.attributes },
    ),
  ];
}

function queuePolicy(input: EventInput, id: string, topic: Json, queueArn: Json, queueUrl: Json): [string, CfnResource] {
  const document: JsonObject = {
    Version: '2012-10-17',
    Statement: [
      { Action: 'sqs:SendMessage', Effect: 'Allow', Principal: '*', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': topic } } },
    ],
  };
  return [id, cfn('AWS::SQS::QueuePolicy', { PolicyDocument: document, Queues: [queueUrl] }, { ...input.target.attributes })];
}

/** The queue's mapping, made as an SQS event of the function would be. */
function mapping(input: EventInput, queueArn: Json, batchSize: Json, enabled: Json | undefined): Emitted {
  const properties: JsonObject = { Queue: queueArn, BatchSize: batchSize };
  if (enabled !== undefined) properties['Enabled'] = enabled;
  return translatePull({ ...input, type: 'SQS', logicalId: `${input.logicalId}EventSourceMapping`, properties });
}

function fifoTopic(input: EventInput, topicId: string | undefined): Json {
  if (!topicId) return false;
  const resource = input.t.samResources[topicId];
  const props = isObject(resource) && isObject(resource['Properties']) ? resource['Properties'] : {};
  return resolveParameterRefs(props['FifoTopic'] ?? false, input.t.params);
}
