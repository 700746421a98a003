/** IAM's entities as stored: roles (with their inline policies and attachments), managed policies, instance profiles. */
import { z } from 'zod';

export const IamTagSchema = z.strictObject({ key: z.string(), value: z.string() });
export type IamTag = z.infer<typeof IamTagSchema>;

export const RoleRecordSchema = z.strictObject({
  name: z.string(),
  path: z.string(),
  roleId: z.string(),
  arn: z.string(),
  createdAt: z.number().int(),
  /** As the caller sent it (IAM answers it URL-encoded). */
  assumeRolePolicy: z.string(),
  description: z.string().optional(),
  maxSessionDuration: z.number().int(),
  permissionsBoundary: z.string().optional(),
  tags: z.array(IamTagSchema),
  /** Inline policies by name, in the order they were first put. */
  inlinePolicies: z.array(z.strictObject({ name: z.string(), document: z.string() })),
  /** ARNs of the managed policies attached (customer's or AWS's). */
  attachedPolicies: z.array(z.string()),
});
export type RoleRecord = z.infer<typeof RoleRecordSchema>;

export const PolicyVersionSchema = z.strictObject({ versionId: z.string(), document: z.string(), createdAt: z.number().int() });
export type PolicyVersion = z.infer<typeof PolicyVersionSchema>;

export const ManagedPolicyRecordSchema = z.strictObject({
  name: z.string(),
  path: z.string(),
  policyId: z.string(),
  arn: z.string(),
  description: z.string().optional(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  defaultVersionId: z.string(),
  /** The number the next version takes (v1, v2...): numbers are never reused. */
  nextVersion: z.number().int(),
  versions: z.array(PolicyVersionSchema),
  tags: z.array(IamTagSchema),
});
export type ManagedPolicyRecord = z.infer<typeof ManagedPolicyRecordSchema>;

export const InstanceProfileRecordSchema = z.strictObject({
  name: z.string(),
  path: z.string(),
  instanceProfileId: z.string(),
  arn: z.string(),
  createdAt: z.number().int(),
  /** Names of its roles (IAM allows one). */
  roles: z.array(z.string()),
  tags: z.array(IamTagSchema),
});
export type InstanceProfileRecord = z.infer<typeof InstanceProfileRecordSchema>;

/** A page of a listing: `marker` continues it. */
export interface Page<T> {
  items: T[];
  marker?: string;
}
