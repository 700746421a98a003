/**
 * CloudFormation's stored state: stacks, their resources and events, change sets, exports. Plain
 * records (no wire shapes); zod schemas check what is read back from the store.
 */
import { z } from 'zod';

export const STACK_STATUSES = [
  'CREATE_IN_PROGRESS', 'CREATE_FAILED', 'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED', 'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS', 'DELETE_FAILED', 'DELETE_COMPLETE',
  'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
] as const;
export const StackStatusSchema = z.enum(STACK_STATUSES);
export type StackStatus = z.infer<typeof StackStatusSchema>;

const Tags = z.record(z.string(), z.string());

export const StackParameterSchema = z.strictObject({ key: z.string(), value: z.string(), noEcho: z.boolean().optional(), resolved: z.string().optional() });
export type StackParameter = z.infer<typeof StackParameterSchema>;

export const StackOutputSchema = z.strictObject({ key: z.string(), value: z.string(), description: z.string().optional(), exportName: z.string().optional() });
export type StackOutput = z.infer<typeof StackOutputSchema>;

export const ResourceRecordSchema = z.strictObject({
  stackId: z.string(),
  logicalId: z.string(),
  type: z.string(),
  physicalId: z.string().optional(),
  status: z.string(),
  statusReason: z.string().optional(),
  /** Properties as resolved when the resource was last created or updated. */
  properties: z.record(z.string(), z.unknown()),
  ref: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()),
  /** Its attributes are masked where shown (a custom resource answered NoEcho). */
  noEcho: z.boolean().optional(),
  metadata: z.unknown().optional(),
  deletionPolicy: z.string().optional(),
  updateReplacePolicy: z.string().optional(),
  /** Its UpdatePolicy, resolved when it was last created or updated: a rollback honours the one it returns to. */
  updatePolicy: z.unknown().optional(),
  /** The resources it depends on: deletion goes in the reverse order, even when the template is gone. */
  dependsOn: z.array(z.string()).optional(),
  updatedAt: z.number(),
});
export type ResourceRecord = z.infer<typeof ResourceRecordSchema>;

/** What a stack was before the operation under way: what a rollback returns to and a cleanup deletes from. */
export const DeploymentSnapshotSchema = z.strictObject({
  templateBody: z.string(),
  processedBody: z.string().optional(),
  parameters: z.array(StackParameterSchema),
  outputs: z.array(StackOutputSchema),
  tags: Tags,
  resources: z.array(ResourceRecordSchema),
});
export type DeploymentSnapshot = z.infer<typeof DeploymentSnapshotSchema>;

export const StackRecordSchema = z.strictObject({
  stackId: z.string(),
  name: z.string(),
  status: StackStatusSchema,
  statusReason: z.string().optional(),
  description: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number().optional(),
  deletedAt: z.number().optional(),
  templateBody: z.string(),
  /** The template after its transforms, when it declared any. */
  processedBody: z.string().optional(),
  parameters: z.array(StackParameterSchema),
  outputs: z.array(StackOutputSchema),
  tags: Tags,
  capabilities: z.array(z.string()),
  notificationArns: z.array(z.string()),
  disableRollback: z.boolean(),
  /** CreateStack's OnFailure DELETE: a failed creation, once rolled back, deletes the stack. */
  deleteOnFailure: z.boolean().optional(),
  terminationProtection: z.boolean(),
  timeoutInMinutes: z.number().optional(),
  roleArn: z.string().optional(),
  stackPolicy: z.string().optional(),
  parentId: z.string().optional(),
  rootId: z.string().optional(),
  changeSetId: z.string().optional(),
  /** The state before the operation under way (updates): rollbacks and cleanups read it, also after a restart. */
  previous: DeploymentSnapshotSchema.optional(),
  /** Resources a cleanup phase deletes: replaced or removed ones (after an update), new ones (after its rollback). */
  orphans: z.array(ResourceRecordSchema).optional(),
});
export type StackRecord = z.infer<typeof StackRecordSchema>;

export const StackEventSchema = z.strictObject({
  eventId: z.string(),
  stackId: z.string(),
  stackName: z.string(),
  logicalId: z.string(),
  physicalId: z.string().optional(),
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  properties: z.string().optional(),
  timestamp: z.number(),
});
export type StackEvent = z.infer<typeof StackEventSchema>;

export const ResourceChangeSchema = z.strictObject({
  action: z.enum(['Add', 'Modify', 'Remove']),
  logicalId: z.string(),
  physicalId: z.string().optional(),
  type: z.string(),
  replacement: z.enum(['True', 'False', 'Conditional']).optional(),
  scope: z.array(z.string()),
  details: z.array(z.strictObject({ name: z.string(), requiresRecreation: z.enum(['Never', 'Conditionally', 'Always']), evaluation: z.enum(['Static', 'Dynamic']) })),
});
export type ResourceChange = z.infer<typeof ResourceChangeSchema>;

export const CHANGE_SET_STATUSES = ['CREATE_PENDING', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'DELETE_PENDING', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE', 'DELETE_FAILED', 'FAILED'] as const;
export const EXECUTION_STATUSES = ['UNAVAILABLE', 'AVAILABLE', 'EXECUTE_IN_PROGRESS', 'EXECUTE_COMPLETE', 'EXECUTE_FAILED', 'OBSOLETE'] as const;

export const ChangeSetRecordSchema = z.strictObject({
  changeSetId: z.string(),
  name: z.string(),
  stackId: z.string(),
  stackName: z.string(),
  type: z.enum(['CREATE', 'UPDATE']),
  status: z.enum(CHANGE_SET_STATUSES),
  executionStatus: z.enum(EXECUTION_STATUSES),
  statusReason: z.string().optional(),
  description: z.string().optional(),
  createdAt: z.number(),
  templateBody: z.string(),
  parameters: z.array(StackParameterSchema),
  tags: Tags,
  capabilities: z.array(z.string()),
  notificationArns: z.array(z.string()),
  changes: z.array(ResourceChangeSchema),
});
export type ChangeSetRecord = z.infer<typeof ChangeSetRecordSchema>;

export interface ExportRecord {
  name: string;
  value: string;
  stackId: string;
}

/** A stack is gone from name lookups once deleted; its id still finds it (as DescribeStacks does). */
export const isDeleted = (s: Pick<StackRecord, 'status'>): boolean => s.status === 'DELETE_COMPLETE';
export const isInProgress = (status: StackStatus): boolean => status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
