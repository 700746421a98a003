/** Scheduler's wire shapes from the domain's records, and schedules from the wire. */
import { z } from 'zod';
import { DEFAULT_GROUP, type ScheduleGroupRecord, type ScheduleRecord } from '../model.js';
import type { ScheduleSpec } from '../schedule-service.js';
import { SchedulerErrors } from '../../../wire/errors.js';
import type { Input } from '../../../api/service.js';

const seconds = (ms: number) => ms / 1000;

export const renderGroup = (g: ScheduleGroupRecord, arn: string): Input => ({
  Arn: arn,
  Name: g.name,
  State: 'ACTIVE',
  CreationDate: seconds(g.createdAt),
  LastModificationDate: seconds(g.modifiedAt),
});

export function renderSchedule(s: ScheduleRecord, arn: string): Input {
  const t = s.target;
  return {
    Arn: arn,
    Name: s.name,
    GroupName: s.groupName,
    ScheduleExpression: s.expression,
    ScheduleExpressionTimezone: s.timezone,
    ...(s.startDate !== undefined ? { StartDate: seconds(s.startDate) } : {}),
    ...(s.endDate !== undefined ? { EndDate: seconds(s.endDate) } : {}),
    FlexibleTimeWindow: s.flexibleWindowMinutes === undefined ? { Mode: 'OFF' } : { Mode: 'FLEXIBLE', MaximumWindowInMinutes: s.flexibleWindowMinutes },
    State: s.state,
    ActionAfterCompletion: s.actionAfterCompletion,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    Target: {
      Arn: t.arn,
      RoleArn: t.roleArn,
      ...(t.input !== undefined ? { Input: t.input } : {}),
      ...(t.messageGroupId !== undefined ? { SqsParameters: { MessageGroupId: t.messageGroupId } } : {}),
      ...(t.eventBridge !== undefined ? { EventBridgeParameters: { DetailType: t.eventBridge.detailType, Source: t.eventBridge.source } } : {}),
      RetryPolicy: { MaximumRetryAttempts: t.maximumRetryAttempts, MaximumEventAgeInSeconds: t.maximumEventAgeSeconds },
      ...(t.deadLetterArn !== undefined ? { DeadLetterConfig: { Arn: t.deadLetterArn } } : {}),
    },
    CreationDate: seconds(s.createdAt),
    LastModificationDate: seconds(s.modifiedAt),
  };
}

const Timestamp = z.union([z.number(), z.string()]);

/** The members of CreateSchedule and UpdateSchedule that Selfless reads; the model checked the rest. */
const ScheduleWire = z.looseObject({
  Name: z.string(),
  GroupName: z.string().optional(),
  ScheduleExpression: z.string(),
  ScheduleExpressionTimezone: z.string().optional(),
  StartDate: Timestamp.optional(),
  EndDate: Timestamp.optional(),
  FlexibleTimeWindow: z.object({ Mode: z.enum(['OFF', 'FLEXIBLE']), MaximumWindowInMinutes: z.number().int().optional() }),
  State: z.enum(['ENABLED', 'DISABLED']).optional(),
  ActionAfterCompletion: z.enum(['NONE', 'DELETE']).optional(),
  Description: z.string().optional(),
  Target: z.looseObject({
    Arn: z.string(),
    RoleArn: z.string(),
    Input: z.string().optional(),
    SqsParameters: z.object({ MessageGroupId: z.string().optional() }).optional(),
    EventBridgeParameters: z.object({ DetailType: z.string(), Source: z.string() }).optional(),
    RetryPolicy: z.object({ MaximumRetryAttempts: z.number().int().optional(), MaximumEventAgeInSeconds: z.number().int().optional() }).optional(),
    DeadLetterConfig: z.object({ Arn: z.string().optional() }).optional(),
  }),
});

const msOf = (t: number | string | undefined): number | undefined => {
  if (t === undefined) return undefined;
  const ms = typeof t === 'number' ? t * 1000 : Date.parse(t);
  if (!Number.isFinite(ms)) throw SchedulerErrors.validation(`${String(t)} is not a valid date.`);
  return ms;
};

export function parseSchedule(raw: unknown): ScheduleSpec {
  const w = ScheduleWire.parse(raw);
  const flex = w.FlexibleTimeWindow;
  if (flex.Mode === 'FLEXIBLE' && flex.MaximumWindowInMinutes === undefined) throw SchedulerErrors.validation('MaximumWindowInMinutes is required when the mode is FLEXIBLE.');
  if (flex.Mode === 'OFF' && flex.MaximumWindowInMinutes !== undefined) throw SchedulerErrors.validation('MaximumWindowInMinutes must not be set when the mode is OFF.');
  const t = w.Target;
  const startDate = msOf(w.StartDate);
  const endDate = msOf(w.EndDate);
  return {
    groupName: w.GroupName ?? DEFAULT_GROUP,
    name: w.Name,
    expression: w.ScheduleExpression,
    timezone: w.ScheduleExpressionTimezone ?? 'UTC',
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
    ...(flex.Mode === 'FLEXIBLE' ? { flexibleWindowMinutes: flex.MaximumWindowInMinutes! } : {}),
    state: w.State ?? 'ENABLED',
    actionAfterCompletion: w.ActionAfterCompletion ?? 'NONE',
    ...(w.Description !== undefined ? { description: w.Description } : {}),
    target: {
      arn: t.Arn,
      roleArn: t.RoleArn,
      ...(t.Input !== undefined ? { input: t.Input } : {}),
      ...(t.SqsParameters?.MessageGroupId !== undefined ? { messageGroupId: t.SqsParameters.MessageGroupId } : {}),
      ...(t.EventBridgeParameters !== undefined ? { eventBridge: { detailType: t.EventBridgeParameters.DetailType, source: t.EventBridgeParameters.Source } } : {}),
      // Scheduler's defaults: a day, 185 retries.
      maximumRetryAttempts: t.RetryPolicy?.MaximumRetryAttempts ?? 185,
      maximumEventAgeSeconds: t.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400,
      ...(t.DeadLetterConfig?.Arn !== undefined ? { deadLetterArn: t.DeadLetterConfig.Arn } : {}),
    },
  };
}
