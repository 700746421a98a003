/**
 * EventBridge rules: Schedule (a ScheduleExpression) and CloudWatchEvent / EventBridgeRule (an
 * EventPattern), each a rule targeting the function, the permission for EventBridge to invoke it,
 * and with DeadLetterConfig of Type SQS a queue and its policy.
 */
import { getAtt, ref, type Json, type JsonObject } from '../intrinsics.js';
import { cfn } from '../model.js';
import type { Emitted } from '../translation.js';
import { asObject, checkProperties, eventError, permission, type EventInput } from './common.js';

const SCHEDULE = ['Schedule', 'RuleName', 'Input', 'Enabled', 'State', 'Name', 'Description', 'DeadLetterConfig', 'RetryPolicy'];
const PATTERN = ['EventBusName', 'RuleName', 'Pattern', 'DeadLetterConfig', 'RetryPolicy', 'Input', 'InputPath', 'Target', 'Enabled', 'State', 'InputTransformer'];

export function translateRule(input: EventInput): Emitted {
  const isSchedule = input.type === 'Schedule';
  checkProperties(input, isSchedule ? SCHEDULE : PATTERN, isSchedule ? ['Schedule'] : []);
  const p = input.properties;
  const id = input.logicalId;
  const out: Emitted = [];
  const rule = cfn('AWS::Events::Rule', {}, { ...input.target.attributes });
  if (isSchedule) {
    rule.Properties['ScheduleExpression'] = p['Schedule'];
  } else {
    rule.Properties['EventBusName'] = p['EventBusName'];
    rule.Properties['EventPattern'] = p['Pattern'];
    rule.Properties['Name'] = p['RuleName'];
  }
  const ruleArn = getAtt(id, 'Arn');
  let dlqArn: Json | undefined;
  const dlq = p['DeadLetterConfig'];
  const dlqResources: Emitted = [];
  if (dlq !== undefined) {
    const config = asObject(dlq) ?? {};
    validateDlq(input, config);
    dlqArn = config['Arn'];
    if (dlqArn === undefined) {
      const queueId = config['QueueLogicalId'];
      if (queueId !== undefined && typeof queueId !== 'string') throw eventError({ ...input, eventId: id }, 'QueueLogicalId must be a string');
      const qid = queueId ?? `${id}Queue`;
      dlqArn = getAtt(qid, 'Arn');
      dlqResources.push([qid, cfn('AWS::SQS::Queue', {}, { ...input.target.attributes })]);
      dlqResources.push([
        `${id}QueuePolicy`,
        cfn(
          'AWS::SQS::QueuePolicy',
          {
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Action: 'sqs:SendMessage',
                  Effect: 'Allow',
                  Principal: { Service: 'events.amazonaws.com' },
                  Resource: dlqArn,
                  Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } },
                },
              ],
            },
            Queues: [ref(qid)],
          },
          { ...input.target.attributes },
        ),
      ]);
    }
  }
  if (p['State'] && p['Enabled'] !== undefined) throw eventError(input, 'State and Enabled Properties cannot both be specified.');
  if (p['State']) rule.Properties['State'] = p['State'];
  if (p['Enabled'] !== undefined) rule.Properties['State'] = p['Enabled'] ? 'ENABLED' : 'DISABLED';
  if (isSchedule) {
    rule.Properties['Name'] = p['Name'];
    rule.Properties['Description'] = p['Description'];
  }

  const targetConfig = asObject(p['Target']);
  const target: JsonObject = {
    Arn: input.target.arn,
    Id: !isSchedule && targetConfig && 'Id' in targetConfig ? targetConfig['Id']! : targetId(id),
  };
  const optional = isSchedule ? ['Input'] : ['Input', 'InputPath'];
  for (const k of optional) if (p[k] !== undefined) target[k] = p[k]!;
  if (dlq !== undefined) target['DeadLetterConfig'] = { Arn: dlqArn ?? null };
  if (p['RetryPolicy'] !== undefined) target['RetryPolicy'] = p['RetryPolicy']!;
  if (!isSchedule && p['InputTransformer'] !== undefined) target['InputTransformer'] = p['InputTransformer']!;
  rule.Properties['Targets'] = [target];

  if (isSchedule) out.push([id, rule], ...dlqResources);
  else out.push(...dlqResources, [id, rule]);
  out.push(permission(input, 'events.amazonaws.com', { SourceArn: ruleArn }));
  return out;
}

/** Rule target ids are at most 64 characters: the logical id is cut to leave room for the suffix. */
export function targetId(logicalId: string, suffix = 'LambdaTarget'): string {
  return logicalId.length + suffix.length <= 64 ? logicalId + suffix : logicalId.slice(0, 64 - suffix.length) + suffix;
}

export function validateDlq(input: EventInput, config: JsonObject): void {
  const err = (m: string): Error => eventError({ ...input, eventId: input.logicalId }, m);
  const hasArn = 'Arn' in config;
  const hasType = 'Type' in config;
  if (hasArn && hasType) throw err("You can either define 'Arn' or 'Type' property of DeadLetterConfig.");
  if (hasType && config['Type'] !== 'SQS') throw err("The only valid value for 'Type' property of DeadLetterConfig is 'SQS'.");
  if (!hasArn && !hasType) throw err("No 'Arn' or 'Type' property provided for DeadLetterConfig.");
}
