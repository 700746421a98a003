/** S3 lifecycle configuration: parse, call the bucket service, render. The sweeper applies the rules. */
import { z } from 'zod';
import type { BucketService } from '../bucket-service.js';
import type { LifecycleRule } from '../model.js';
import { ProtocolErrors, S3Errors } from '../../../wire/errors.js';
import type { OperationHandler } from '../../../api/service.js';

const RuleInput = z.object({
  ID: z.string().optional(),
  Status: z.enum(['Enabled', 'Disabled']),
  Prefix: z.string().optional(),
  Filter: z.object({ Prefix: z.string().optional() }).passthrough().optional(),
  Expiration: z.object({ Days: z.number().int().optional(), Date: z.number().optional(), ExpiredObjectDeleteMarker: z.boolean().optional() }).optional(),
  AbortIncompleteMultipartUpload: z.object({ DaysAfterInitiation: z.number().int().optional() }).optional(),
  Transitions: z.array(z.unknown()).optional(),
  NoncurrentVersionTransitions: z.array(z.unknown()).optional(),
  NoncurrentVersionExpiration: z.object({ NoncurrentDays: z.number().int().optional(), NewerNoncurrentVersions: z.number().int().optional() }).optional(),
});
/** S3 keeps at most this many newer noncurrent versions by rule. */
const MAX_NEWER_NONCURRENT = 100;
const PutInput = z.object({ Bucket: z.string(), LifecycleConfiguration: z.object({ Rules: z.array(RuleInput).min(1).max(1000) }) });

/** What Selfless can apply; anything else is refused rather than stored and ignored. */
function ruleOf(r: z.infer<typeof RuleInput>, i: number): LifecycleRule {
  const { Prefix: filterPrefix, ...otherFilters } = r.Filter ?? {};
  if (r.Transitions?.length || r.NoncurrentVersionTransitions?.length || Object.keys(otherFilters).length > 0) {
    throw ProtocolErrors.notImplemented('lifecycle transitions and tag or size filters');
  }
  const noncurrent = r.NoncurrentVersionExpiration?.NoncurrentDays;
  const newer = r.NoncurrentVersionExpiration?.NewerNoncurrentVersions;
  if (r.NoncurrentVersionExpiration && (noncurrent === undefined || noncurrent <= 0)) throw S3Errors.invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer");
  if (newer !== undefined && (newer <= 0 || newer > MAX_NEWER_NONCURRENT)) {
    throw S3Errors.invalidArgument(`'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer up to ${MAX_NEWER_NONCURRENT}`);
  }
  const days = r.Expiration?.Days;
  const abort = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
  if ((days !== undefined && days <= 0) || (abort !== undefined && abort <= 0)) throw S3Errors.invalidArgument("'Days' for Expiration action must be a positive integer");
  if (days === undefined && r.Expiration?.Date === undefined && abort === undefined && noncurrent === undefined) {
    throw S3Errors.malformedXml('At least one action needs to be specified in a rule');
  }
  return {
    id: r.ID ?? `rule-${i + 1}`,
    enabled: r.Status === 'Enabled',
    prefix: filterPrefix ?? r.Prefix ?? '',
    ...(days !== undefined ? { expirationDays: days } : {}),
    ...(r.Expiration?.Date !== undefined ? { expirationDate: r.Expiration.Date * 1000 } : {}),
    ...(abort !== undefined ? { abortUploadsAfterDays: abort } : {}),
    ...(noncurrent !== undefined ? { noncurrentDays: noncurrent } : {}),
    ...(newer !== undefined ? { newerNoncurrentVersions: newer } : {}),
  };
}

export function lifecycleHandlers(buckets: BucketService): Record<string, OperationHandler> {
  return {
    async PutBucketLifecycleConfiguration(input) {
      const { Bucket, LifecycleConfiguration } = PutInput.parse(input);
      await buckets.configure(Bucket, { lifecycle: LifecycleConfiguration.Rules.map(ruleOf) });
      return {};
    },
    async GetBucketLifecycleConfiguration(input) {
      const { lifecycle } = await buckets.require(z.object({ Bucket: z.string() }).parse(input).Bucket);
      if (!lifecycle) throw S3Errors.noSuchLifecycle();
      return {
        Rules: lifecycle.map((r) => ({
          ID: r.id,
          Status: r.enabled ? 'Enabled' : 'Disabled',
          Filter: { Prefix: r.prefix },
          ...(r.expirationDays !== undefined || r.expirationDate !== undefined
            ? { Expiration: { ...(r.expirationDays !== undefined ? { Days: r.expirationDays } : {}), ...(r.expirationDate !== undefined ? { Date: r.expirationDate / 1000 } : {}) } }
            : {}),
          ...(r.abortUploadsAfterDays !== undefined ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: r.abortUploadsAfterDays } } : {}),
          ...(r.noncurrentDays !== undefined
            ? { NoncurrentVersionExpiration: { NoncurrentDays: r.noncurrentDays, ...(r.newerNoncurrentVersions !== undefined ? { NewerNoncurrentVersions: r.newerNoncurrentVersions } : {}) } }
            : {}),
        })),
      };
    },
    async DeleteBucketLifecycle(input) {
      await buckets.configure(z.object({ Bucket: z.string() }).parse(input).Bucket, { lifecycle: undefined });
      return {};
    },
  };
}
