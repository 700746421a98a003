/** EventBridge Scheduler's own model: schedule groups and schedules, as stored. No wire shapes. */
import { z } from 'zod';

export const DEFAULT_GROUP = 'default';

export const ScheduleGroupRecordSchema = z.strictObject({
  name: z.string(),
  createdAt: z.number(),
  modifiedAt: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type ScheduleGroupRecord = z.infer<typeof ScheduleGroupRecordSchema>;

export const ScheduleTargetSchema = z.strictObject({
  arn: z.string(),
  roleArn: z.string(),
  /** Sent as is, after Scheduler's context attributes (<aws.scheduler.scheduled-time>...) are filled in. */
  input: z.string().optional(),
  messageGroupId: z.string().optional(),
  /** An event bus target's EventBridgeParameters: the event's detail-type and source. */
  eventBridge: z.strictObject({ detailType: z.string(), source: z.string() }).optional(),
  maximumRetryAttempts: z.number().int().min(0).max(185),
  maximumEventAgeSeconds: z.number().int().min(60).max(86_400),
  deadLetterArn: z.string().optional(),
});
export type ScheduleTarget = z.infer<typeof ScheduleTargetSchema>;

export const ScheduleRecordSchema = z.strictObject({
  groupName: z.string(),
  name: z.string(),
  expression: z.string(),
  timezone: z.string(),
  /** Epoch ms. */
  startDate: z.number().optional(),
  endDate: z.number().optional(),
  /** Absent for FlexibleTimeWindow OFF. */
  flexibleWindowMinutes: z.number().int().min(1).max(1440).optional(),
  state: z.enum(['ENABLED', 'DISABLED']),
  actionAfterCompletion: z.enum(['NONE', 'DELETE']),
  description: z.string().optional(),
  target: ScheduleTargetSchema,
  createdAt: z.number(),
  modifiedAt: z.number(),
});
export type ScheduleRecord = z.infer<typeof ScheduleRecordSchema>;
