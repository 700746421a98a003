/**
 * An API's OpenAPI definition as a template gives it: inline (`Body`, an object or text) or as an object
 * of this server's S3 (`BodyS3Location`: `Bucket`, `Key`, and optionally `Version` and `ETag`, the latter
 * checked against the object read so that a changed file is not imported unnoticed).
 */
import { createHash } from 'node:crypto';
import type { Properties, ResourceContext } from '../provider.js';
import { InvalidProperty, obj, str } from './props.js';

export async function definitionOf(type: string, props: Properties, ctx: ResourceContext): Promise<Buffer | undefined> {
  const body = props['Body'];
  const location = obj(props, 'BodyS3Location');
  if (body !== undefined && location) throw new InvalidProperty(type, 'Body', 'and BodyS3Location cannot both be given.');
  if (body !== undefined) return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  if (!location) return undefined;
  const bucket = str(location, 'Bucket');
  const key = str(location, 'Key');
  if (!bucket || !key) throw new InvalidProperty(type, 'BodyS3Location', 'needs a Bucket and a Key.');
  const bytes = await ctx.readObject(bucket, key, str(location, 'Version')).catch((err: unknown) => {
    throw new InvalidProperty(type, 'BodyS3Location', `could not be read from s3://${bucket}/${key}: ${(err as Error)?.message ?? String(err)}`);
  });
  const etag = str(location, 'ETag')?.replaceAll('"', '');
  // A single-part upload's ETag is the MD5 of its bytes; a multipart one's (with `-`) cannot be checked this way.
  if (etag && !etag.includes('-') && createHash('md5').update(bytes).digest('hex') !== etag) {
    throw new InvalidProperty(type, 'BodyS3Location.ETag', `${etag} does not match the object at s3://${bucket}/${key}.`);
  }
  return bytes;
}

/** Whether the definition's source changed between two sets of properties. */
export const definitionChanged = (props: Properties, previous: Properties): boolean =>
  JSON.stringify([props['Body'] ?? null, props['BodyS3Location'] ?? null]) !== JSON.stringify([previous['Body'] ?? null, previous['BodyS3Location'] ?? null]);
