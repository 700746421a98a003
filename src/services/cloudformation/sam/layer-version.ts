/**
 * AWS::Serverless::LayerVersion → AWS::Lambda::LayerVersion under a new logical id (the SAM id plus a
 * hash of the resource), so any change publishes a new layer version; old versions are retained
 * unless RetentionPolicy says Delete. References to the old id are rewritten afterwards.
 */
import { invalidResource } from './errors.js';
import { s3Location } from './function/code.js';
import { logicalIdHash } from './hash.js';
import { isIntrinsic, isObject, resolveParameterRefs, type Json, type JsonObject } from './intrinsics.js';
import { cfn, passThrough, type CfnResource, type SamResource } from './model.js';
import type { Emitted, Translation } from './translation.js';

const KNOWN = ['LayerName', 'Description', 'PublishLambdaVersion', 'ContentUri', 'CompatibleArchitectures', 'CompatibleRuntimes', 'LicenseInfo', 'RetentionPolicy'];
const OPTIONS = "['Retain', 'Delete']";

export function translateLayerVersion(sam: SamResource, t: Translation): Emitted {
  const { logicalId: id, raw } = sam;
  const p: JsonObject = { ...sam.properties };
  for (const k of Object.keys(p)) {
    if (!KNOWN.includes(k)) throw invalidResource(id, `property ${k} not defined for resource of type AWS::Serverless::LayerVersion`);
  }
  if (p['ContentUri'] === undefined || p['ContentUri'] === null) throw invalidResource(id, "Missing required property 'ContentUri'.");
  for (const k of ['LayerName', 'LicenseInfo', 'Description', 'RetentionPolicy']) {
    if (!p[k]) continue;
    const v = resolveParameterRefs(p[k], t.params);
    if (typeof v !== 'string' && !isObject(v)) {
      throw invalidResource(id, `Could not resolve parameter for '${k}' or parameter is not a String.`);
    }
    p[k] = v;
  }
  const attributes: Partial<CfnResource> = { ...passThrough(raw) };
  attributes.DeletionPolicy ??= 'Retain';
  const retention = retentionPolicy(id, p['RetentionPolicy']);
  if (retention) attributes.DeletionPolicy = retention;

  // The hash covers the SAM resource as written (parameters resolved), without its deletion attributes.
  const hashed: JsonObject = { Type: 'AWS::Serverless::LayerVersion' };
  if (raw['DependsOn']) hashed['DependsOn'] = raw['DependsOn'];
  for (const k of ['UpdatePolicy', 'Condition'] as const) if (k in raw) hashed[k] = raw[k]!;
  hashed['Properties'] = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null && v !== undefined));
  const newId = id + logicalIdHash({ [id]: hashed });
  t.renamed.set(id, newId);

  const architectures = p['CompatibleArchitectures'] ?? ['x86_64'];
  if (!isIntrinsic(architectures) && Array.isArray(architectures)) {
    for (const a of architectures) {
      if (!isIntrinsic(a) && a !== 'arm64' && a !== 'x86_64') {
        throw invalidResource(newId, "CompatibleArchitectures needs to be a list of 'x86_64' or 'arm64'");
      }
    }
  }
  const layer = cfn(
    'AWS::Lambda::LayerVersion',
    {
      LayerName: p['LayerName'] || id,
      Description: p['Description'],
      Content: s3Location(newId, p['ContentUri']!, 'ContentUri'),
      CompatibleArchitectures: p['CompatibleArchitectures'],
      CompatibleRuntimes: p['CompatibleRuntimes'],
      LicenseInfo: p['LicenseInfo'],
    },
    { ...(raw['DependsOn'] ? { DependsOn: raw['DependsOn'] } : {}), ...attributes },
  );
  return [[newId, layer]];
}

function retentionPolicy(id: string, value: Json | undefined): string | undefined {
  if (isIntrinsic(value)) {
    throw invalidResource(id, `'RetentionPolicy' does not accept intrinsic functions, please use one of the following options: ${OPTIONS}`);
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidResource(id, `Invalid 'RetentionPolicy' type, please use one of the following options: ${OPTIONS}`);
  for (const option of ['Retain', 'Delete']) if (value.toLowerCase() === option.toLowerCase()) return option;
  throw invalidResource(id, `'RetentionPolicy' must be one of the following options: ${OPTIONS}.`);
}
