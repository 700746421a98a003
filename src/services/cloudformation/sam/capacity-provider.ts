/**
 * AWS::Serverless::CapacityProvider → AWS::Lambda::CapacityProvider under the same logical id, with an
 * operator role (`<id>OperatorRole`, AWS's AWSLambdaManagedEC2ResourceOperator policy) when the
 * template names none. SAM's short names become Lambda's: AllowedTypes/ExcludedTypes are the instance
 * types, AverageCPUUtilization is a Manual target-tracking policy (without it scaling is Auto).
 */
import { invalidResource } from './errors.js';
import { getAtt, isObject, type Json, type JsonObject } from './intrinsics.js';
import { cfn, ownAttributes, passThrough, tagList } from './model.js';
import { awsManagedPolicyArn, lambdaAssumeRolePolicy } from './function/role.js';
import type { Emitted, Translation } from './translation.js';
import type { SamResource } from './model.js';

const KNOWN = ['CapacityProviderName', 'VpcConfig', 'OperatorRole', 'Tags', 'PropagateTags', 'InstanceRequirements', 'ScalingConfig', 'KmsKeyArn'];
const SAM_TAG = { Key: 'lambda:createdBy', Value: 'SAM' };

export function translateCapacityProvider(sam: SamResource, t: Translation): Emitted {
  const { logicalId: id, properties: p, raw } = sam;
  for (const k of Object.keys(p)) {
    if (!KNOWN.includes(k)) throw invalidResource(id, `property ${k} not defined for resource of type AWS::Serverless::CapacityProvider`);
  }
  if (!isObject(p['VpcConfig'])) throw invalidResource(id, "Missing required property 'VpcConfig'.");
  const required = isObject(p['InstanceRequirements']) ? p['InstanceRequirements'] : {};
  if (required['AllowedTypes'] !== undefined && required['ExcludedTypes'] !== undefined) {
    throw invalidResource(id, "Cannot specify 'InstanceRequirements.AllowedTypes' and 'InstanceRequirements.ExcludedTypes' together.");
  }
  const out: Emitted = [];
  let operatorRole: Json | undefined = p['OperatorRole'];
  if (!operatorRole) {
    const roleId = `${id}OperatorRole`;
    out.push([
      roleId,
      cfn(
        'AWS::IAM::Role',
        { AssumeRolePolicyDocument: lambdaAssumeRolePolicy(), ManagedPolicyArns: [awsManagedPolicyArn(t.ctx.partition, 'AWSLambdaManagedEC2ResourceOperator')], Tags: [SAM_TAG] },
        passThrough(raw),
      ),
    ]);
    operatorRole = getAtt(roleId, 'Arn');
  }
  const vpc = p['VpcConfig'];
  const provider = cfn(
    'AWS::Lambda::CapacityProvider',
    {
      CapacityProviderName: p['CapacityProviderName'],
      VpcConfig: { SubnetIds: vpc['SubnetIds']!, ...(vpc['SecurityGroupIds'] !== undefined && vpc['SecurityGroupIds'] !== null ? { SecurityGroupIds: vpc['SecurityGroupIds'] } : {}) },
      PermissionsConfig: { CapacityProviderOperatorRoleArn: operatorRole },
      // SAM's tag last here, unlike on functions.
      Tags: [...tagList(p['Tags']), SAM_TAG],
      InstanceRequirements: isObject(p['InstanceRequirements']) ? instanceRequirements(required) : undefined,
      CapacityProviderScalingConfig: isObject(p['ScalingConfig']) ? scaling(p['ScalingConfig']) : undefined,
      KmsKeyArn: p['KmsKeyArn'],
    },
    ownAttributes(raw),
  );
  out.push([id, provider]);
  if (p['PropagateTags'] === true && isObject(p['Tags'])) {
    for (const [, r] of out) if (r.Type === 'AWS::IAM::Role') r.Properties['Tags'] = [...tagList(p['Tags']), SAM_TAG];
  }
  return out;
}

function instanceRequirements(r: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (r['Architectures'] !== undefined && r['Architectures'] !== null) out['Architectures'] = r['Architectures'];
  if (r['AllowedTypes'] !== undefined && r['AllowedTypes'] !== null) out['AllowedInstanceTypes'] = r['AllowedTypes'];
  if (r['ExcludedTypes'] !== undefined && r['ExcludedTypes'] !== null) out['ExcludedInstanceTypes'] = r['ExcludedTypes'];
  return out;
}

function scaling(s: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (s['MaxVCpuCount'] !== undefined && s['MaxVCpuCount'] !== null) out['MaxVCpuCount'] = s['MaxVCpuCount'];
  if (s['AverageCPUUtilization'] !== undefined && s['AverageCPUUtilization'] !== null) {
    out['ScalingMode'] = 'Manual';
    out['ScalingPolicies'] = [{ PredefinedMetricType: 'LambdaCapacityProviderAverageCPUUtilization', TargetValue: s['AverageCPUUtilization'] }];
  } else out['ScalingMode'] = 'Auto';
  return out;
}
