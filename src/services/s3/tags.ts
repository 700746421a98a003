/** S3's tag rules: at most 10 tags on an object (50 on a bucket), keys up to 128 characters, values up to 256, keys unique. */
import { S3Errors } from '../../wire/errors.js';
import type { Tags } from './model.js';

export const OBJECT_TAG_LIMIT = 10;
export const BUCKET_TAG_LIMIT = 50;

export function checkTags(pairs: readonly { key: string; value: string }[], limit: number): Tags {
  if (pairs.length > limit) throw S3Errors.invalidTag(`Object tags cannot be greater than ${limit}`);
  const tags: Tags = {};
  for (const { key, value } of pairs) {
    if (key.length === 0 || key.length > 128) throw S3Errors.invalidTag('The TagKey you have provided is invalid');
    if (value.length > 256) throw S3Errors.invalidTag('The TagValue you have provided is invalid');
    if (key in tags) throw S3Errors.invalidTag('Cannot provide multiple Tags with the same key');
    tags[key] = value;
  }
  return tags;
}

/** The `x-amz-tagging` header: a URL-encoded query string. */
export const tagsFromHeader = (header: string): Tags =>
  checkTags([...new URLSearchParams(header)].map(([key, value]) => ({ key, value })), OBJECT_TAG_LIMIT);
