/**
 * S3: the permission for S3 to invoke the function, and the bucket (which must be in the same
 * template) rewritten with a LambdaConfiguration per event type and a dependency on the permission,
 * since S3 checks it can invoke the function when the notification is set.
 */
import { invalidResource } from '../errors.js';
import { isObject, ref, type Json, type JsonObject } from '../intrinsics.js';
import { cfn, tagList } from '../model.js';
import type { Emitted } from '../translation.js';
import { checkProperties, eventError, permission, type EventInput } from './common.js';
import { isDeepStrictEqual } from 'node:util';

export function translateS3(input: EventInput): Emitted {
  const p = input.properties;
  const bucketRef = p['Bucket'];
  const bucketId = isObject(bucketRef) ? bucketRef['Ref'] : undefined;
  if (isObject(bucketRef) && 'Ref' in bucketRef && typeof bucketId !== 'string') {
    throw eventError(input, "'Ref' value in S3 events is not a valid string.");
  }
  if (typeof bucketId !== 'string' || !isObject(input.t.samResources[bucketId])) {
    throw invalidResource(input.target.functionId, `Event with id [${input.eventId}] is invalid. S3 events must reference an S3 bucket in the same template.`);
  }
  checkProperties(input, ['Bucket', 'Events', 'Filter'], ['Bucket', 'Events']);
  const bucket = input.t.samResources[bucketId] as JsonObject;

  const perm = permission(input, 's3.amazonaws.com', { SourceAccount: ref('AWS::AccountId') });
  const permId = perm[0];
  if (perm[1].Condition !== undefined) {
    // DependsOn cannot be conditional; a tag referring to the permission under the same condition can.
    const props = (bucket['Properties'] ??= {}) as JsonObject;
    const tags = (props['Tags'] ?? []) as Json[];
    if (!Array.isArray(tags)) throw invalidResource(bucketId, "Property 'Tags' should be a list.");
    props['Tags'] = [...tags, ...tagList({ [`sam:ConditionalDependsOn:${permId}`]: { 'Fn::If': [perm[1].Condition, ref(permId), 'no dependency'] } })];
  } else {
    const current = bucket['DependsOn'] ?? [];
    const list = typeof current === 'string' ? [current] : (current as Json[]);
    if (!Array.isArray(list) || !list.every((d) => typeof d === 'string')) {
      throw invalidResource(input.logicalId, "Invalid type for field 'DependsOn'. Expected a string or list of strings.");
    }
    // samtranslator goes through a set here: duplicates vanish and the order is not defined.
    bucket['DependsOn'] = [...new Set([...list, permId])];
  }

  const base: JsonObject = { Function: input.target.arn };
  if (p['Filter'] !== undefined) base['Filter'] = p['Filter']!;
  const types = typeof p['Events'] === 'string' ? [p['Events']] : (p['Events'] as Json[]);
  const props = (bucket['Properties'] ??= {}) as JsonObject;
  if (!isObject(props)) throw invalidResource(bucketId, 'Properties should be a map.');
  const notification = (props['NotificationConfiguration'] ??= {}) as JsonObject;
  if (!isObject(notification)) throw invalidResource(bucketId, "Property 'NotificationConfiguration' should be a map.");
  const lambdas = (notification['LambdaConfigurations'] ??= []) as Json[];
  if (!Array.isArray(lambdas)) throw invalidResource(bucketId, 'Invalid type for LambdaConfigurations. Must be a list.');
  for (const type of types) {
    let mapping: JsonObject = { ...structuredClone(base), Event: type };
    if (input.target.condition !== undefined) mapping = { 'Fn::If': [input.target.condition, mapping, { Ref: 'AWS::NoValue' }] };
    if (!lambdas.some((l) => isDeepStrictEqual(l, mapping))) lambdas.push(mapping);
  }

  const { Type, Properties, ...attributes } = bucket;
  return [perm, [bucketId, cfn(String(Type), structuredClone(Properties) as JsonObject, structuredClone(attributes))]];
}
