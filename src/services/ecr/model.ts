/** ECR's repositories as stored: their settings and policies (images are not served). */
import { z } from 'zod';

export const EcrTagSchema = z.strictObject({ key: z.string(), value: z.string() });
export type EcrTag = z.infer<typeof EcrTagSchema>;

export const TagMutabilityFilterSchema = z.strictObject({ filterType: z.string(), filter: z.string() });

export const RepositoryRecordSchema = z.strictObject({
  name: z.string(),
  arn: z.string(),
  registryId: z.string(),
  uri: z.string(),
  createdAt: z.number().int(),
  imageTagMutability: z.string(),
  imageTagMutabilityExclusionFilters: z.array(TagMutabilityFilterSchema).optional(),
  scanOnPush: z.boolean(),
  encryption: z.strictObject({ type: z.string(), kmsKey: z.string().optional() }),
  /** The repository policy's text, as set. */
  policy: z.string().optional(),
  lifecyclePolicy: z.string().optional(),
  tags: z.array(EcrTagSchema),
});
export type RepositoryRecord = z.infer<typeof RepositoryRecordSchema>;
