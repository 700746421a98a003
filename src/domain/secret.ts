/** Secrets Manager's secrets as stored: metadata in clear, each version's value only sealed. */
import { z } from 'zod';
import { TagSchema } from './kms.js';

/** A value sealed under a data key, which KMS wrapped (see src/services/secretsmanager/secret-values.ts). */
export const SealedValueSchema = z.strictObject({
  kind: z.enum(['string', 'binary']),
  /** The KMS ciphertext blob of the data key (base64). */
  dataKey: z.string(),
  /** The value sealed under the data key (base64). */
  sealed: z.string(),
});
export type SealedValue = z.infer<typeof SealedValueSchema>;

export const SecretVersionSchema = z.strictObject({
  versionId: z.string(),
  createdAt: z.number().int(),
  stages: z.array(z.string()),
  /** Absent for the AWSPENDING version a rotation creates before its function's createSecret step fills it. */
  value: SealedValueSchema.optional(),
  lastAccessedAt: z.number().int().optional(),
});
export type SecretVersion = z.infer<typeof SecretVersionSchema>;

export const RotationSchema = z.strictObject({
  enabled: z.boolean(),
  lambdaArn: z.string().optional(),
  afterDays: z.number().int().optional(),
  scheduleExpression: z.string().optional(),
  duration: z.string().optional(),
  lastRotatedAt: z.number().int().optional(),
  nextRotationAt: z.number().int().optional(),
});
export type Rotation = z.infer<typeof RotationSchema>;

export const SecretRecordSchema = z.strictObject({
  name: z.string(),
  arn: z.string(),
  description: z.string().optional(),
  /** As the caller named it (an id, ARN or alias); absent: `aws/secretsmanager`. */
  kmsKeyId: z.string().optional(),
  createdAt: z.number().int(),
  lastChangedAt: z.number().int(),
  lastAccessedAt: z.number().int().optional(),
  /** Set while the secret waits out its recovery window: when it was deleted, and when it goes for good. */
  deletedAt: z.number().int().optional(),
  purgeAt: z.number().int().optional(),
  tags: z.array(TagSchema),
  rotation: RotationSchema,
  versions: z.array(SecretVersionSchema),
});
export type SecretRecord = z.infer<typeof SecretRecordSchema>;
