/**
 * EventInvokeConfig: the function's asynchronous invocation settings (retries, maximum event age,
 * destinations). A destination of Type SQS or SNS without an ARN gets a queue or topic made for it;
 * each destination adds the permission to reach it to the execution role.
 */
import { invalidResource, SamCause } from '../errors.js';
import { getAtt, isIf, isObject, ref, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, ownAttributes, passThrough, type CfnResource } from '../model.js';
import type { Emitted, Translation } from '../translation.js';

const TYPES = ['SQS', 'SNS', 'EventBridge', 'Lambda', 'S3Bucket'];
const pyList = (items: string[]): string => `[${items.map((s) => `'${s}'`).join(', ')}]`;

export interface EventInvokeResult {
  resources: Emitted;
  policies: JsonObject[];
}

export function buildEventInvokeConfig(
  functionId: string,
  raw: JsonObject,
  config: Json,
  alias: [string, CfnResource] | undefined,
  aliasName: string,
  t: Translation,
): EventInvokeResult {
  const resolved = resolveParameterRefs(config, t.params);
  if (!isObject(resolved)) throw invalidResource(functionId, "Property 'EventInvokeConfig' should be a map.");
  const id = `${functionId}EventInvokeConfig`;
  const resources: Emitted = [];
  const policies: JsonObject[] = [];
  const destinations: JsonObject = {};
  const input = resolved['DestinationConfig'];
  if (input) {
    if (!isObject(input)) throw invalidResource(functionId, "Property 'EventInvokeConfig.DestinationConfig' should be a map.");
    for (const name of ['OnSuccess', 'OnFailure']) {
      const dest = input[name];
      if (dest === undefined || dest === null) continue;
      if (!isObject(dest)) throw invalidResource(functionId, `Property 'EventInvokeConfig.DestinationConfig.${name}' should be a map.`);
      const type = dest['Type'];
      if (typeof type !== 'string' || !TYPES.includes(type)) {
        throw invalidResource(functionId, `'Type: ${type === undefined || type === null ? 'None' : String(type)}' must be one of ${pyList(TYPES)}`);
      }
      const resourceId = id + name;
      let arn = dest['Destination'];
      if (isIf(arn)) throw new SamCause(`Resource with id [${functionId}] uses Fn::If in an EventInvokeConfig destination, which Selfless's SAM transform does not support yet.`);
      if (arn === undefined || arn === null) {
        if (type === 'SQS') {
          resources.push([`${resourceId}Queue`, cfn('AWS::SQS::Queue', {}, { ...passThrough(raw) })]);
          arn = getAtt(`${resourceId}Queue`, 'Arn');
        } else if (type === 'SNS') {
          resources.push([`${resourceId}Topic`, cfn('AWS::SNS::Topic', {}, { ...passThrough(raw) })]);
          arn = ref(`${resourceId}Topic`);
        } else throw invalidResource(functionId, "Destination is required if Type is not ['SQS', 'SNS']");
      }
      policies.push(destinationPolicy(type, resourceId, arn));
      destinations[name] = { Destination: arn };
    }
  }
  resources.push([
    id,
    cfn(
      'AWS::Lambda::EventInvokeConfig',
      {
        FunctionName: ref(functionId),
        Qualifier: aliasName || '$LATEST',
        DestinationConfig: destinations,
        MaximumEventAgeInSeconds: resolved['MaximumEventAgeInSeconds'],
        MaximumRetryAttempts: resolved['MaximumRetryAttempts'],
      },
      { ...ownAttributes(raw), DependsOn: alias ? [alias[0]] : undefined },
    ),
  ]);
  return { resources, policies };
}

function destinationPolicy(type: string, logicalId: string, arn: Json): JsonObject {
  const statement = (Action: string, Resource: Json): JsonObject => ({ Action, Effect: 'Allow', Resource });
  const named = (suffix: string, statements: JsonObject[]): JsonObject => ({ PolicyName: logicalId + suffix, PolicyDocument: { Statement: statements } });
  switch (type) {
    case 'SQS':
      return named('SQSPolicy', [statement('sqs:SendMessage', arn)]);
    case 'SNS':
      return named('SNSPolicy', [statement('sns:publish', arn)]);
    case 'EventBridge':
      return named('EventBridgePolicy', [statement('events:PutEvents', arn)]);
    case 'Lambda':
      return named('LambdaPolicy', [statement('lambda:InvokeFunction', arn)]);
    default:
      return named('S3Policy', [statement('s3:PutObject', { 'Fn::Join': ['/', [arn, '*']] }), statement('s3:ListBucket', arn)]);
  }
}
