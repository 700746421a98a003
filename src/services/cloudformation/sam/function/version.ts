/**
 * AutoPublishAlias: a Lambda version whose logical id carries a hash of what makes a new version
 * (code location, environment, memory size, SnapStart; or every property with
 * AutoPublishAliasAllProperties), so CloudFormation publishes a new one exactly when those change,
 * and an alias pointing at it.
 */
import { invalidResource } from '../errors.js';
import { getAtt, isObject, logicalIdOf, ref, resolveParameterRefs, type Json, type JsonObject } from '../intrinsics.js';
import { logicalIdHash } from '../hash.js';
import { cfn, toJson, type CfnResource, type PassThrough } from '../model.js';

export interface VersionInput {
  logicalId: string;
  properties: JsonObject;
  function: CfnResource;
  attributes: PassThrough;
  params: Readonly<Record<string, Json>>;
  samResources: JsonObject;
  codeSha256?: string;
}

export function buildVersion(input: VersionInput): [string, CfnResource] {
  const { function: fn, properties: p } = input;
  let data: JsonObject;
  if (p['AutoPublishAliasAllProperties'] === true) {
    data = { ...((toJson(fn)['Properties'] as JsonObject | undefined) ?? {}) };
    // A layer that asks for it (PublishLambdaVersion) publishes a new function version when it changes.
    for (const layer of (Array.isArray(fn.Properties['Layers']) ? fn.Properties['Layers'] : []) as Json[]) {
      const id = logicalIdOf(layer);
      const resource = id ? input.samResources[id] : undefined;
      if (!id || !isObject(resource)) continue;
      const layerProps = isObject(resource['Properties']) ? resource['Properties'] : {};
      if (layerProps['PublishLambdaVersion']) data[id] = layerProps;
    }
  } else {
    data = { ...(resolveParameterRefs(fn.Properties['Code'], input.params) as JsonObject) };
    const env = fn.Properties['Environment'];
    if (isObject(env)) Object.assign(data, env);
    if (fn.Properties['MemorySize']) data['MemorySize'] = fn.Properties['MemorySize']!;
    const snap = fn.Properties['SnapStart'];
    if (isObject(snap) && (snap['ApplyOn'] ?? 'None') !== 'None') data['SnapStart'] = snap;
  }
  const hash = input.codeSha256 !== undefined ? input.codeSha256.slice(0, 10) : logicalIdHash(data);
  const logicalId = `${input.logicalId}Version${hash}`;
  const attributes: Partial<CfnResource> = { ...input.attributes };
  if (!('DeletionPolicy' in attributes)) {
    attributes.DeletionPolicy = p['VersionDeletionPolicy'] ?? (p['CapacityProviderConfig'] !== undefined ? 'Delete' : 'Retain');
  }
  return [
    logicalId,
    cfn(
      'AWS::Lambda::Version',
      {
        FunctionName: ref(input.logicalId),
        Description: p['VersionDescription'],
        FunctionScalingConfig: p['CapacityProviderConfig'] !== undefined ? p['FunctionScalingConfig'] : undefined,
      },
      attributes,
    ),
  ];
}

const ALIAS_NAME = /^(?!^[0-9]+$)([a-zA-Z0-9\-_]+)$/;

export function buildAlias(
  functionId: string,
  name: string,
  versionId: string,
  properties: JsonObject,
  attributes: PassThrough,
): [string, CfnResource] {
  if (!name) throw invalidResource(functionId, 'Alias name is required to create an alias');
  if (!ALIAS_NAME.test(name)) {
    throw invalidResource(
      functionId,
      `AutoPublishAlias name ('${name}') must contain only alphanumeric characters, hyphens, or underscores matching (?!^[0-9]+$)([a-zA-Z0-9-_]+) pattern.`,
    );
  }
  // Logical ids are alphanumeric: '-' becomes 'D' and '_' becomes 'U'.
  const logicalId = `${functionId}Alias${name.replace(/-/g, 'D').replace(/_/g, 'U')}`;
  return [
    logicalId,
    cfn(
      'AWS::Lambda::Alias',
      {
        Name: name,
        FunctionName: ref(functionId),
        FunctionVersion: getAtt(versionId, 'Version'),
        ProvisionedConcurrencyConfig: properties['ProvisionedConcurrencyConfig'] || undefined,
      },
      { ...attributes },
    ),
  ];
}
