/** S3 bucket configuration kept as given: tags, CORS rules, policy. Parse, call the bucket service, render. */
import { z } from 'zod';
import type { BucketService } from '../bucket-service.js';
import { BUCKET_TAG_LIMIT, checkTags } from '../tags.js';
import { S3Errors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

const BucketInput = z.object({ Bucket: z.string() });
export const TagSetSchema = z.array(z.object({ Key: z.string(), Value: z.string() }));
const TaggingInput = BucketInput.extend({ Tagging: z.object({ TagSet: TagSetSchema }) });
const CorsInput = BucketInput.extend({
  CORSConfiguration: z.object({
    CORSRules: z
      .array(
        z.object({
          ID: z.string().optional(),
          AllowedMethods: z.array(z.string()),
          AllowedOrigins: z.array(z.string()),
          AllowedHeaders: z.array(z.string()).optional(),
          ExposeHeaders: z.array(z.string()).optional(),
          MaxAgeSeconds: z.number().int().optional(),
        }),
      )
      .min(1),
  }),
});
const PolicyInput = BucketInput.extend({ Policy: z.string() });

export const tagSet = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function bucketConfigHandlers(buckets: BucketService): Record<string, OperationHandler> {
  const bucketOf = async (input: unknown) => buckets.require(BucketInput.parse(input).Bucket);
  return {
    async PutBucketTagging(input) {
      const { Bucket, Tagging } = TaggingInput.parse(input);
      await buckets.configure(Bucket, { tags: checkTags(Tagging.TagSet.map((t) => ({ key: t.Key, value: t.Value })), BUCKET_TAG_LIMIT) });
      return {};
    },
    async GetBucketTagging(input) {
      const { tags } = await bucketOf(input);
      if (!tags) throw S3Errors.noSuchTagSet();
      return { TagSet: tagSet(tags) };
    },
    async DeleteBucketTagging(input) {
      await buckets.configure(BucketInput.parse(input).Bucket, { tags: undefined });
      return {};
    },
    async PutBucketCors(input) {
      const { Bucket, CORSConfiguration } = CorsInput.parse(input);
      const cors = CORSConfiguration.CORSRules.map((r) => ({
        ...(r.ID !== undefined ? { id: r.ID } : {}),
        allowedMethods: r.AllowedMethods,
        allowedOrigins: r.AllowedOrigins,
        ...(r.AllowedHeaders ? { allowedHeaders: r.AllowedHeaders } : {}),
        ...(r.ExposeHeaders ? { exposeHeaders: r.ExposeHeaders } : {}),
        ...(r.MaxAgeSeconds !== undefined ? { maxAgeSeconds: r.MaxAgeSeconds } : {}),
      }));
      await buckets.configure(Bucket, { cors });
      return {};
    },
    async GetBucketCors(input) {
      const { cors } = await bucketOf(input);
      if (!cors) throw S3Errors.noSuchCors();
      return {
        CORSRules: cors.map((r) => ({
          ID: r.id,
          AllowedMethods: r.allowedMethods,
          AllowedOrigins: r.allowedOrigins,
          AllowedHeaders: r.allowedHeaders,
          ExposeHeaders: r.exposeHeaders,
          MaxAgeSeconds: r.maxAgeSeconds,
        })),
      };
    },
    async DeleteBucketCors(input) {
      await buckets.configure(BucketInput.parse(input).Bucket, { cors: undefined });
      return {};
    },
    async PutBucketPolicy(input) {
      const { Bucket, Policy } = PolicyInput.parse(input);
      try {
        const parsed: unknown = JSON.parse(Policy);
        if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) throw new Error('no Statement');
      } catch {
        throw S3Errors.malformedPolicy('Policies must be valid JSON and the first byte must be \'{\'');
      }
      await buckets.configure(Bucket, { policy: Policy });
      return {};
    },
    async GetBucketPolicy(input) {
      const { policy } = await bucketOf(input);
      if (policy === undefined) throw S3Errors.noSuchBucketPolicy();
      return { Policy: policy };
    },
    async DeleteBucketPolicy(input) {
      await buckets.configure(BucketInput.parse(input).Bucket, { policy: undefined });
      return {};
    },
  };
}
