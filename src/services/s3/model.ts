/** S3's records as Selfless keeps them: buckets, objects (bytes in blobs), multipart uploads and their parts. */
import { z } from 'zod';

export const ChecksumAlgorithmSchema = z.enum(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256']);
export type ChecksumAlgorithm = z.infer<typeof ChecksumAlgorithmSchema>;

export const ChecksumSchema = z.strictObject({ algorithm: ChecksumAlgorithmSchema, value: z.string() });
export type Checksum = z.infer<typeof ChecksumSchema>;

/** One destination of a bucket's event notifications, with the events and key filter it takes. */
export const NotificationTargetSchema = z.strictObject({
  id: z.string(),
  kind: z.enum(['function', 'queue', 'topic']),
  arn: z.string(),
  /** `s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ... */
  events: z.array(z.string()).min(1),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});
export type NotificationTarget = z.infer<typeof NotificationTargetSchema>;

export const CorsRuleSchema = z.strictObject({
  id: z.string().optional(),
  allowedMethods: z.array(z.string()),
  allowedOrigins: z.array(z.string()),
  allowedHeaders: z.array(z.string()).optional(),
  exposeHeaders: z.array(z.string()).optional(),
  maxAgeSeconds: z.number().int().optional(),
});
export type CorsRule = z.infer<typeof CorsRuleSchema>;

/** A lifecycle rule as Selfless applies it: expiration, noncurrent versions' expiration and aborting stale uploads, by key prefix. */
export const LifecycleRuleSchema = z.strictObject({
  id: z.string(),
  enabled: z.boolean(),
  prefix: z.string(),
  expirationDays: z.number().int().positive().optional(),
  /** Epoch milliseconds. */
  expirationDate: z.number().optional(),
  abortUploadsAfterDays: z.number().int().positive().optional(),
  /** Versions are removed this many days after they stopped being current (`NoncurrentVersionExpiration`). */
  noncurrentDays: z.number().int().positive().optional(),
});
export type LifecycleRule = z.infer<typeof LifecycleRuleSchema>;

export const TagsSchema = z.record(z.string(), z.string());
export type Tags = z.infer<typeof TagsSchema>;

export const BucketRecordSchema = z.strictObject({
  name: z.string(),
  region: z.string(),
  /** Epoch milliseconds. */
  createdAt: z.number(),
  notifications: z.array(NotificationTargetSchema).default([]),
  /** EventBridgeConfiguration is set: every event also goes to the default event bus. */
  eventBridge: z.literal(true).optional(),
  /** Configuration S3 keeps and gives back; CORS rules also answer browsers' preflights. */
  tags: TagsSchema.optional(),
  cors: z.array(CorsRuleSchema).optional(),
  policy: z.string().optional(),
  lifecycle: z.array(LifecycleRuleSchema).optional(),
  /** Absent until versioning is first set; a bucket never returns to unversioned. */
  versioning: z.enum(['Enabled', 'Suspended']).optional(),
});
export type BucketRecord = z.infer<typeof BucketRecordSchema>;

/** The headers an object is stored with and served back with. */
export const ContentHeadersSchema = z.strictObject({
  contentType: z.string().optional(),
  contentEncoding: z.string().optional(),
  contentDisposition: z.string().optional(),
  contentLanguage: z.string().optional(),
  cacheControl: z.string().optional(),
  expires: z.string().optional(),
});
export type ContentHeaders = z.infer<typeof ContentHeadersSchema>;

/** One stretch of an object's bytes: a PutObject has one, a completed multipart upload one per part. */
export const BlobRefSchema = z.strictObject({ id: z.string(), size: z.number().int().nonnegative() });
export type BlobRef = z.infer<typeof BlobRefSchema>;

export const ObjectRecordSchema = z.strictObject({
  bucket: z.string(),
  key: z.string(),
  /** Quoted, as S3 writes it: `"<md5>"`, or `"<md5 of the parts' md5s>-<parts>"`. */
  etag: z.string(),
  size: z.number().int().nonnegative(),
  lastModified: z.number(),
  headers: ContentHeadersSchema,
  metadata: z.record(z.string(), z.string()),
  blobs: z.array(BlobRefSchema),
  checksum: ChecksumSchema.optional(),
  /** Part count of an object made by a multipart upload. */
  parts: z.number().int().positive().optional(),
  tags: TagsSchema.optional(),
  /** Absent for the `null` version (unversioned and versioning-suspended writes). */
  versionId: z.string().optional(),
  /** A delete marker: no bytes, no headers; the latest version of a deleted key in a versioned bucket. */
  deleteMarker: z.literal(true).optional(),
});
export type ObjectRecord = z.infer<typeof ObjectRecordSchema>;

export const UploadRecordSchema = z.strictObject({
  uploadId: z.string(),
  bucket: z.string(),
  key: z.string(),
  initiated: z.number(),
  headers: ContentHeadersSchema,
  metadata: z.record(z.string(), z.string()),
  checksumAlgorithm: ChecksumAlgorithmSchema.optional(),
});
export type UploadRecord = z.infer<typeof UploadRecordSchema>;

export const PartRecordSchema = z.strictObject({
  uploadId: z.string(),
  partNumber: z.number().int().min(1).max(10_000),
  etag: z.string(),
  size: z.number().int().nonnegative(),
  lastModified: z.number(),
  blob: BlobRefSchema,
  checksum: ChecksumSchema.optional(),
});
export type PartRecord = z.infer<typeof PartRecordSchema>;

/** Where one version sits among its key's versions: newer versions have greater sequence numbers. */
export interface VersionEntry {
  object: ObjectRecord;
  seq: number;
  /** The key's newest version (its current object, or a delete marker). */
  latest: boolean;
}

/** The version id of a record, as the wire and the store name it. */
export const versionIdOf = (o: ObjectRecord): string => o.versionId ?? 'null';

/** What a conditional write expects of the key's current object. */
export type WriteCondition = { kind: 'absent' } | { kind: 'etag'; etag: string } | undefined;
