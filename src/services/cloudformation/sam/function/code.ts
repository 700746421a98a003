/** The `Code` of a Lambda function (and `Content` of a layer) from SAM's CodeUri / InlineCode / ImageUri. */
import { invalidResource } from '../errors.js';
import { isObject, type Json, type JsonObject } from '../intrinsics.js';

const DYNAMIC_REFERENCE = /{{resolve:(ssm|ssm-secure|secretsmanager):[a-zA-Z0-9_.\-/]+(:\d+)?}}/;

/** `{S3Bucket, S3Key[, S3ObjectVersion]}` from `s3://bucket/key?versionId=v` or `{Bucket, Key, Version}`. */
export function s3Location(logicalId: string, uri: Json, propertyName: string): JsonObject {
  let pointer: { Bucket: Json; Key: Json; Version?: Json };
  if (isObject(uri)) {
    if (!uri['Bucket'] || !uri['Key']) {
      throw invalidResource(logicalId, `'${propertyName}' requires Bucket and Key properties to be specified.`);
    }
    pointer = uri as typeof pointer;
  } else if (typeof uri === 'string') {
    const dynamic = DYNAMIC_REFERENCE.exec(uri);
    if (dynamic && dynamic[0].includes('/')) {
      throw invalidResource(
        logicalId,
        `Unsupported dynamic reference detected in '${propertyName}'. Please consider using alternative 'FunctionCode' object format.`,
      );
    }
    const parsed = parseS3Uri(uri);
    if (!parsed) {
      throw invalidResource(
        logicalId,
        `'${propertyName}' is not a valid S3 Uri of the form 's3://bucket/key' with optional versionId query parameter.`,
      );
    }
    pointer = parsed;
  } else {
    throw invalidResource(logicalId, `'${propertyName}' must be of type dict or string.`);
  }
  const code: JsonObject = { S3Bucket: pointer.Bucket, S3Key: pointer.Key };
  if ('Version' in pointer && pointer.Version !== undefined) code['S3ObjectVersion'] = pointer.Version;
  return code;
}

function parseS3Uri(uri: string): { Bucket: string; Key: string; Version?: string } | undefined {
  const m = /^s3:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/.exec(uri);
  if (!m || !m[2]) return undefined;
  const out: { Bucket: string; Key: string; Version?: string } = { Bucket: m[1]!, Key: m[2].replace(/^\/+/, '') };
  const versions = new URLSearchParams(m[3] ?? '').getAll('versionId').filter((v) => v !== '');
  if (versions.length === 1) out.Version = versions[0]!;
  return out;
}

/** The function's Code, refusing the combinations samtranslator refuses. */
export function functionCode(logicalId: string, p: JsonObject): JsonObject {
  const packageType = p['PackageType'] ?? 'Zip';
  if (packageType !== 'Zip' && packageType !== 'Image') throw invalidResource(logicalId, `invalid 'PackageType' : ${String(packageType)}`);
  let code: JsonObject;
  if (packageType === 'Zip') {
    const inline = p['InlineCode'];
    const uri = p['CodeUri'];
    if (inline !== undefined && inline !== null) code = { ZipFile: inline };
    else if (uri !== undefined && uri !== null) code = s3Location(logicalId, uri, 'CodeUri');
    else throw invalidResource(logicalId, "Only one of 'InlineCode' or 'CodeUri' can be set.");
    if (p['SourceKMSKeyArn'] !== undefined) code['SourceKMSKeyArn'] = p['SourceKMSKeyArn'];
  } else {
    const image = p['ImageUri'];
    if (image === undefined || image === null) throw invalidResource(logicalId, "'ImageUri' must be set.");
    code = { ImageUri: image };
  }
  return code;
}
