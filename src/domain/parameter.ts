/** SSM parameters as stored, with their history. SecureString values are stored only encrypted. */
import { z } from 'zod';
import { TagSchema } from './kms.js';

export const ParameterTypeSchema = z.enum(['String', 'StringList', 'SecureString']);
export type ParameterType = z.infer<typeof ParameterTypeSchema>;

export const ParameterVersionSchema = z.strictObject({
  version: z.number().int(),
  type: ParameterTypeSchema,
  /** String and StringList: the value. SecureString: the KMS ciphertext blob (base64). */
  value: z.string(),
  /** SecureString: the key, as an ARN. */
  keyId: z.string().optional(),
  description: z.string().optional(),
  allowedPattern: z.string().optional(),
  tier: z.enum(['Standard', 'Advanced', 'Intelligent-Tiering']),
  dataType: z.string(),
  labels: z.array(z.string()),
  modifiedAt: z.number().int(),
  modifiedBy: z.string(),
});
export type ParameterVersion = z.infer<typeof ParameterVersionSchema>;

export const ParameterRecordSchema = z.strictObject({
  name: z.string(),
  tags: z.array(TagSchema),
  /** Oldest first; the last is the current version. */
  versions: z.array(ParameterVersionSchema).min(1),
});
export type ParameterRecord = z.infer<typeof ParameterRecordSchema>;
