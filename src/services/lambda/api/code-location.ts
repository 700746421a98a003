/** A package given inline (`ZipFile`) or by its place in a bucket (`S3Bucket`/`S3Key`), as Lambda's code and layer operations take it. */
import type { CodeFromBucket } from '../../s3/code-source.js';
import { Errors } from '../../../wire/errors.js';

export interface CodeWire {
  ZipFile?: Buffer;
  S3Bucket?: string;
  S3Key?: string;
  S3ObjectVersion?: string;
}

export async function zipOf(code: CodeWire, fromBucket: CodeFromBucket | undefined, what: string): Promise<Buffer> {
  if (code.ZipFile) return code.ZipFile;
  if (code.S3Bucket && code.S3Key && fromBucket) {
    return fromBucket({ bucket: code.S3Bucket, key: code.S3Key, ...(code.S3ObjectVersion !== undefined ? { version: code.S3ObjectVersion } : {}) });
  }
  throw Errors.invalidParameter(`${what} requires ZipFile, or S3Bucket and S3Key.`);
}
