/** CloudFormation's view of this server's S3: templates read by URL, custom resource responses. */
import type { ObjectService } from '../s3/object-service.js';
import type { BucketService } from '../s3/bucket-service.js';
import { S3Errors } from '../../wire/errors/s3.js';
import type { BucketAccess } from './cloudformation-system.js';

const ORIGIN = { requestId: 'cloudformation', principalId: 'cloudformation.amazonaws.com' };

export function bucketAccess(s3: { objects: ObjectService; buckets: BucketService }, region: string): BucketAccess {
  return {
    async read(bucket, key, versionId) {
      const got = await s3.objects.get(bucket, key, {}, undefined, versionId);
      const chunks: Buffer[] = [];
      for await (const chunk of got.body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    async ensureBucket(bucket) {
      await s3.buckets.create(bucket, region).catch((err: unknown) => {
        if ((err as { kind?: unknown })?.kind !== S3Errors.bucketAlreadyOwnedByYou.kind) throw err;
      });
    },
    async remove(bucket, key) {
      await s3.objects.delete(bucket, key, ORIGIN);
    },
  };
}
