/**
 * The execution role SAM generates for a function without a `Role`: Lambda's trust policy, the basic
 * execution policy (plus X-Ray and VPC ones when the function uses them), then each entry of
 * Policies in order. Event sources add the managed policies and statements they need afterwards.
 */
import { isDeepStrictEqual } from 'node:util';
import { invalidResource } from '../errors.js';
import { getAtt, isIf, isNoValue, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, samTagList, type CfnResource, type PassThrough } from '../model.js';
import { managedPolicyArn, policyKind, policyList } from './policies.js';

export const lambdaAssumeRolePolicy = (): JsonObject => ({
  Version: '2012-10-17',
  Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] } }],
});

export const awsManagedPolicyArn = (partition: string, name: string): string => `arn:${partition}:iam::aws:policy/${name}`;

export interface RoleInput {
  logicalId: string;
  properties: JsonObject;
  attributes: PassThrough;
  partition: string;
  tracingEnabled: boolean;
  /** Documents SAM adds before the user's (dead-letter queue, event invoke destinations). */
  extraDocuments: JsonObject[];
}

export function buildExecutionRole(input: RoleInput): CfnResource {
  const { logicalId, properties: p, partition } = input;
  const roleId = `${logicalId}Role`;
  const managed: Json[] = [
    awsManagedPolicyArn(partition, p['DurableConfig'] ? 'service-role/AWSLambdaBasicDurableExecutionRolePolicy' : 'service-role/AWSLambdaBasicExecutionRole'),
  ];
  if (input.tracingEnabled) managed.push(awsManagedPolicyArn(partition, partition === 'aws' ? 'AWSXrayWriteOnlyAccess' : 'AWSXRayDaemonWriteAccess'));
  if (p['VpcConfig']) managed.push(awsManagedPolicyArn(partition, 'service-role/AWSLambdaVPCAccessExecutionRole'));
  const documents: Json[] = [...input.extraDocuments];

  policyList(p['Policies']).forEach((policy, index) => {
    const kind = policyKind(policy);
    const named = (doc: Json): JsonObject => ({ PolicyName: `${roleId}Policy${index}`, PolicyDocument: doc });
    if (kind === 'statement') {
      documents.push(isIf(policy) ? mapIf(policy, named) : named(policy));
    } else if (kind === 'managed') {
      let arn: Json = policy;
      if (typeof policy === 'string') arn = managedPolicyArn(policy, partition);
      else if (isIf(policy)) arn = mapIf(policy, (v) => (typeof v === 'string' ? managedPolicyArn(v, partition) : v));
      // SAM's own entries (the basic execution role) are not repeated when a user names them again.
      if (!managed.some((m) => isDeepStrictEqual(m, arn))) managed.push(arn);
    } else {
      throw invalidResource(logicalId, `Policy at index ${index} in the 'Policies' property is not valid`);
    }
  });

  return cfn(
    'AWS::IAM::Role',
    {
      AssumeRolePolicyDocument: p['AssumeRolePolicyDocument'] ?? lambdaAssumeRolePolicy(),
      ManagedPolicyArns: managed,
      Policies: documents.length > 0 ? documents : undefined,
      Path: p['RolePath'],
      PermissionsBoundary: p['PermissionsBoundary'],
      Tags: samTagList(logicalId, p['Tags']),
    },
    { ...input.attributes },
  );
}

/** Applies `convert` to the branches of an Fn::If that are not AWS::NoValue. */
function mapIf(policy: { 'Fn::If': Json[] }, convert: (v: Json) => Json): JsonObject {
  const [cond, a, b] = policy['Fn::If'] as [Json, Json, Json];
  return { 'Fn::If': [cond, isNoValue(a) ? a : convert(a), isNoValue(b) ? b : convert(b)] };
}

export const roleArn = (roleLogicalId: string): JsonObject => getAtt(roleLogicalId, 'Arn');

/** Adds a managed policy ARN once (event sources call this for the policies they need). */
export function addManagedPolicy(role: CfnResource, arn: string): void {
  const list = role.Properties['ManagedPolicyArns'] as Json[];
  if (!list.some((m) => isDeepStrictEqual(m, arn))) list.push(arn);
}

/** Adds an inline policy unless the same document is already there. */
export function addInlinePolicy(role: CfnResource, policy: JsonObject): void {
  const list = (role.Properties['Policies'] ??= []) as JsonObject[];
  if (list.some((p) => isDeepStrictEqual(p, policy) || isDeepStrictEqual(p['PolicyDocument'], policy['PolicyDocument']))) return;
  list.push(policy);
}
