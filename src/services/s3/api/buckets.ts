/** S3 bucket operations: parse, call the bucket service, render. */
import { z } from 'zod';
import type { BucketService } from '../bucket-service.js';
import type { OperationHandler } from '../../../api/service.js';
import { S3Errors } from '../../../wire/errors.js';
import { OWNER } from './wire.js';

const BucketInput = z.object({ Bucket: z.string() });
const VersioningInput = BucketInput.extend({ VersioningConfiguration: z.object({ Status: z.string().optional(), MFADelete: z.string().optional() }) });
const CreateBucketInput = BucketInput.extend({
  CreateBucketConfiguration: z.object({ LocationConstraint: z.string().optional() }).optional(),
});

export function bucketHandlers(buckets: BucketService): Record<string, OperationHandler> {
  return {
    async CreateBucket(input) {
      const { Bucket, CreateBucketConfiguration } = CreateBucketInput.parse(input);
      await buckets.create(Bucket, CreateBucketConfiguration?.LocationConstraint || undefined);
      return { Location: `/${Bucket}` };
    },
    async HeadBucket(input) {
      const bucket = await buckets.require(BucketInput.parse(input).Bucket);
      return { BucketRegion: bucket.region };
    },
    async ListBuckets() {
      const all = await buckets.list();
      return {
        Buckets: all.map((b) => ({ Name: b.name, CreationDate: b.createdAt / 1000, BucketRegion: b.region })),
        Owner: OWNER,
      };
    },
    async DeleteBucket(input) {
      await buckets.delete(BucketInput.parse(input).Bucket);
      return {};
    },
    /** A bucket never versioned has no status. */
    async GetBucketVersioning(input) {
      const bucket = await buckets.require(BucketInput.parse(input).Bucket);
      return bucket.versioning ? { Status: bucket.versioning } : {};
    },
    async PutBucketVersioning(input) {
      const { Bucket, VersioningConfiguration } = VersioningInput.parse(input);
      const status = VersioningConfiguration.Status;
      if (status !== 'Enabled' && status !== 'Suspended') throw S3Errors.malformedXml(`versioning status ${String(status)}`);
      if (VersioningConfiguration.MFADelete === 'Enabled') throw S3Errors.invalidRequest('MFA Delete is not served by Selfless.');
      await buckets.setVersioning(Bucket, status);
      return {};
    },
    async GetBucketLocation(input) {
      const bucket = await buckets.require(BucketInput.parse(input).Bucket);
      // S3 names us-east-1 by an empty constraint.
      return bucket.region === 'us-east-1' ? {} : { LocationConstraint: bucket.region };
    },
  };
}
