/**
 * ScheduleV2: an EventBridge Scheduler schedule invoking the function, with its own role allowed to
 * invoke it (unless RoleArn is given), and with DeadLetterConfig of Type SQS a queue.
 */
import { getAtt, type Json, type JsonObject } from '../intrinsics.js';
import { cfn } from '../model.js';
import type { Emitted } from '../translation.js';
import { asObject, checkProperties, eventError, type EventInput } from './common.js';
import { validateDlq } from './rule.js';

const KNOWN = [
  'PermissionsBoundary', 'ScheduleExpression', 'FlexibleTimeWindow', 'Name', 'State', 'Description', 'StartDate', 'EndDate',
  'ScheduleExpressionTimezone', 'GroupName', 'KmsKeyArn', 'Input', 'RoleArn', 'DeadLetterConfig', 'RetryPolicy', 'OmitName',
];

export function translateScheduleV2(input: EventInput): Emitted {
  checkProperties(input, KNOWN, ['ScheduleExpression']);
  const p = input.properties;
  const id = input.logicalId;
  const attrs = input.target.attributes;
  const schedule = cfn('AWS::Scheduler::Schedule', { ScheduleExpression: p['ScheduleExpression'] }, { ...attrs });
  if (p['State']) schedule.Properties['State'] = p['State'];
  if (p['OmitName']) {
    if (p['Name']) throw eventError({ ...input, eventId: id }, 'Name cannot be set when OmitName is True');
  } else schedule.Properties['Name'] = p['Name'] || id;
  schedule.Properties['Description'] = p['Description'];
  schedule.Properties['FlexibleTimeWindow'] = p['FlexibleTimeWindow'] || { Mode: 'OFF' };
  for (const k of ['StartDate', 'EndDate', 'ScheduleExpressionTimezone', 'GroupName', 'KmsKeyArn']) schedule.Properties[k] = p[k];
  const out: Emitted = [[id, schedule]];

  let dlqArn: Json | undefined;
  if (p['DeadLetterConfig'] !== undefined) {
    const config = asObject(p['DeadLetterConfig']) ?? {};
    validateDlq(input, config);
    dlqArn = config['Arn'];
    if (dlqArn === undefined) {
      const queueId = config['QueueLogicalId'];
      if (queueId !== undefined && typeof queueId !== 'string') throw eventError({ ...input, eventId: id }, 'QueueLogicalId must be a string');
      const qid = queueId ?? `${id}Queue`;
      out.push([qid, cfn('AWS::SQS::Queue', {}, { ...attrs })]);
      dlqArn = getAtt(qid, 'Arn');
    }
  }

  let roleArn = p['RoleArn'];
  if (!roleArn) {
    const roleId = `${id}Role`;
    const policies: JsonObject[] = [
      { PolicyName: `${id}LambdaPolicy`, PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: input.target.arn }] } },
    ];
    if (dlqArn) policies.push({ PolicyName: `${id}SQSPolicy`, PolicyDocument: { Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: dlqArn }] } });
    out.push([
      roleId,
      cfn(
        'AWS::IAM::Role',
        {
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['scheduler.amazonaws.com'] } }],
          },
          Policies: policies,
          PermissionsBoundary: p['PermissionsBoundary'] || undefined,
        },
        { ...attrs },
      ),
    ]);
    roleArn = getAtt(roleId, 'Arn');
  }
  const target: JsonObject = { Arn: input.target.arn, RoleArn: roleArn };
  if (p['Input'] !== undefined) target['Input'] = p['Input']!;
  if (p['DeadLetterConfig'] !== undefined) target['DeadLetterConfig'] = { Arn: dlqArn ?? null };
  if (p['RetryPolicy'] !== undefined) target['RetryPolicy'] = p['RetryPolicy']!;
  schedule.Properties['Target'] = target;
  return out;
}
