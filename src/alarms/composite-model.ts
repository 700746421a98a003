/** Composite alarms, as CloudWatch keeps them: a rule over other alarms' states, actions, state and suppression. */
import { z } from 'zod';
import { STATES } from './model.js';

export const SUPPRESSED_BY = ['WaitPeriod', 'ExtensionPeriod', 'Alarm'] as const;

export const CompositeAlarmDefinitionSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  /** The AlarmRule as given (parsed again when evaluated; it was valid when put). */
  rule: z.string(),
  actionsEnabled: z.boolean(),
  alarmActions: z.array(z.string()),
  okActions: z.array(z.string()),
  insufficientDataActions: z.array(z.string()),
  /** ActionsSuppressor: the alarm (name) whose ALARM state keeps this one's actions from running. */
  suppressor: z
    .object({
      alarm: z.string(),
      /** As given, with the ARN CloudWatch answers with. */
      arn: z.string(),
      waitPeriodSeconds: z.number().int(),
      extensionPeriodSeconds: z.number().int(),
    })
    .optional(),
});
export type CompositeAlarmDefinition = z.infer<typeof CompositeAlarmDefinitionSchema>;

export const CompositeAlarmRecordSchema = z.object({
  definition: CompositeAlarmDefinitionSchema,
  state: z.enum(STATES),
  stateReason: z.string(),
  stateReasonData: z.string().optional(),
  stateUpdatedAt: z.number(),
  configurationUpdatedAt: z.number(),
  /** Why the last change of state ran no actions, when a suppressor stopped them. */
  actionsSuppressedBy: z.enum(SUPPRESSED_BY).optional(),
  actionsSuppressedReason: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type CompositeAlarmRecord = z.infer<typeof CompositeAlarmRecordSchema>;
