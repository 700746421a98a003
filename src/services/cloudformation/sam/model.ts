/**
 * The shapes the transform works on: SAM resources as they arrive, and the CloudFormation resources it
 * generates. Generated properties left `undefined` are dropped on output, as samtranslator drops None.
 */
import { invalidResource } from './errors.js';
import { isObject, type Json, type JsonObject } from './intrinsics.js';

/**
 * What the engine knows when it calls the transform. As samtranslator does, only the parameter values
 * (given, then the template's defaults) and AWS::Region / AWS::Partition are used to resolve the few
 * references SAM resolves; account id and stack name stay `${AWS::AccountId}` / `!Ref AWS::StackName`
 * in the output for the engine to resolve like any other intrinsic.
 */
export interface SamContext {
  region: string;
  accountId: string;
  partition: string;
  stackName: string;
  parameterValues: Record<string, string>;
}

/** A resource of the output template. */
export interface CfnResource {
  Type: string;
  Properties: Record<string, Json | undefined>;
  DependsOn?: Json;
  Condition?: Json;
  DeletionPolicy?: Json;
  UpdateReplacePolicy?: Json;
  UpdatePolicy?: Json;
  Metadata?: Json;
}

/** The attributes of a SAM resource that every resource generated from it carries too. */
export type PassThrough = Partial<Pick<CfnResource, 'Condition' | 'DeletionPolicy' | 'UpdateReplacePolicy'>>;

export interface SamResource {
  logicalId: string;
  type: string;
  properties: JsonObject;
  /** The resource as written (attributes included). */
  raw: JsonObject;
}

export function passThrough(raw: JsonObject): PassThrough {
  const out: PassThrough = {};
  for (const k of ['Condition', 'DeletionPolicy', 'UpdateReplacePolicy'] as const) if (k in raw) out[k] = raw[k]!;
  return out;
}

/** The attributes the main generated resource keeps from its SAM resource. */
export function ownAttributes(raw: JsonObject): Partial<CfnResource> {
  const out: Partial<CfnResource> = {};
  for (const k of ['DeletionPolicy', 'UpdatePolicy', 'Condition', 'UpdateReplacePolicy', 'Metadata'] as const) {
    if (k in raw) out[k] = raw[k]!;
  }
  if ('DependsOn' in raw) out.DependsOn = raw['DependsOn']!;
  return out;
}

export function cfn(type: string, properties: Record<string, Json | undefined>, attributes: Partial<CfnResource> = {}): CfnResource {
  return { Type: type, ...attributes, Properties: properties };
}

/** A resource as JSON: undefined (None) properties left out, as samtranslator writes it. */
export function toJson(resource: CfnResource): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(resource)) {
    if (k === 'Properties' || v === undefined) continue;
    out[k] = v as Json;
  }
  const props: JsonObject = {};
  for (const [k, v] of Object.entries(resource.Properties)) if (v !== undefined && v !== null) props[k] = v;
  out['Properties'] = props;
  return out;
}

const RESERVED_TAGS = ['lambda:createdBy', 'serverlessrepo:applicationId', 'serverlessrepo:semanticVersion'];

/** `[{Key, Value}]` from a tag map, in the map's order. */
export function tagList(tags: Json | undefined): JsonObject[] {
  if (!isObject(tags)) return [];
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** SAM's own tag first, then the user's: its position is part of the Lambda function's identity. */
export function samTagList(logicalId: string, tags: Json | undefined): JsonObject[] {
  const map = isObject(tags) ? tags : {};
  for (const reserved of RESERVED_TAGS) {
    if (reserved in map) {
      throw invalidResource(
        logicalId,
        `${reserved} is a reserved Tag key name and cannot be set on your resource. Please change the tag key in the input.`,
      );
    }
  }
  return [{ Key: 'lambda:createdBy', Value: 'SAM' }, ...tagList(map)];
}
