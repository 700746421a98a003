/** KMS keys and aliases as stored. Key material is kept only wrapped by the master key. */
import { z } from 'zod';

/** The states Selfless's keys can be in (KMS also has Creating, PendingImport, Unavailable...). */
export const KeyStateSchema = z.enum(['Enabled', 'Disabled', 'PendingDeletion']);
export type KeyState = z.infer<typeof KeyStateSchema>;

export const TagSchema = z.strictObject({ key: z.string(), value: z.string() });
export type Tag = z.infer<typeof TagSchema>;

export const KmsKeyRecordSchema = z.strictObject({
  keyId: z.string(),
  arn: z.string(),
  description: z.string(),
  /** CUSTOMER keys are the caller's; AWS keys (`aws/secretsmanager`, `aws/ssm`) are made on first use. */
  manager: z.enum(['CUSTOMER', 'AWS']),
  state: KeyStateSchema,
  createdAt: z.number().int(),
  /** Set while PendingDeletion: when the key is gone for good. */
  deletionAt: z.number().int().optional(),
  pendingWindowDays: z.number().int().optional(),
  /** The 256-bit key, sealed under the master key (base64). */
  wrappedMaterial: z.string(),
  tags: z.array(TagSchema),
});
export type KmsKeyRecord = z.infer<typeof KmsKeyRecordSchema>;

export const KmsAliasRecordSchema = z.strictObject({
  /** `alias/...` */
  name: z.string(),
  keyId: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type KmsAliasRecord = z.infer<typeof KmsAliasRecordSchema>;
