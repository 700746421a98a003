/** Function and layer code read from a bucket (`S3Bucket`/`S3Key`), as Lambda fetches it, refused with Lambda's words when it cannot be read. */
import { AwsError, Errors } from '../../wire/errors.js';
import type { ObjectService } from './object-service.js';

export interface CodeLocation {
  bucket: string;
  key: string;
  /** `S3ObjectVersion`: that version of the object (in a versioned bucket), else the current one. */
  version?: string;
}

export type CodeFromBucket = (location: CodeLocation) => Promise<Buffer>;

/** Lambda's limit on an unzipped package bounds what is worth reading from a bucket. */
const MAX_CODE_BYTES = 250 * 1024 * 1024;

const getObjectFailed = (code: string, message: string) =>
  Errors.invalidParameter(`Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`);

export function codeFromBucket(objects: ObjectService): CodeFromBucket {
  return async ({ bucket, key, version }) => {
    try {
      const read = await objects.get(bucket, key, {}, undefined, version);
      if (read.object.size > MAX_CODE_BYTES) {
        read.body.destroy();
        throw Errors.invalidParameter(`Unzipped size must be smaller than ${MAX_CODE_BYTES} bytes`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of read.body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (err) {
      if (!(err instanceof AwsError) || err.kind === Errors.invalidParameter.kind) throw err;
      throw getObjectFailed(err.kind.name, err.message);
    }
  };
}
