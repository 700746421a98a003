/** EventBridge's own model: event buses, rules and their targets, as stored. No wire shapes. */
import { z } from 'zod';

export const DEFAULT_BUS = 'default';

export const EventBusRecordSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  /** Epoch ms. */
  createdAt: z.number(),
  modifiedAt: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
  /** The resource-based policy (JSON), as PutPermission left it. */
  policy: z.string().optional(),
});
export type EventBusRecord = z.infer<typeof EventBusRecordSchema>;

export const RuleStateSchema = z.enum(['ENABLED', 'DISABLED']);
export type RuleState = z.infer<typeof RuleStateSchema>;

export const InputTransformerSchema = z.strictObject({
  pathsMap: z.record(z.string(), z.string()),
  template: z.string(),
});
export type InputTransformer = z.infer<typeof InputTransformerSchema>;

/** What a target receives: the whole event, a constant, a part of the event, or a template filled from it. */
export const TargetInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('event') }),
  z.strictObject({ kind: z.literal('constant'), json: z.string() }),
  z.strictObject({ kind: z.literal('path'), path: z.string() }),
  z.strictObject({ kind: z.literal('transformer'), transformer: InputTransformerSchema }),
]);
export type TargetInput = z.infer<typeof TargetInputSchema>;

/** EventBridge's defaults for a rule's target: a day, 185 retries. */
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;

export const TargetRecordSchema = z.strictObject({
  id: z.string(),
  arn: z.string(),
  input: TargetInputSchema,
  /** FIFO queue targets: the message group of every message sent. */
  messageGroupId: z.string().optional(),
  maximumRetryAttempts: z.number().int().min(0).max(185),
  maximumEventAgeSeconds: z.number().int().min(60).max(86_400),
  deadLetterArn: z.string().optional(),
  /** API destination targets: path wildcards' values, headers and query string (HttpParameters). */
  http: z
    .strictObject({
      pathValues: z.array(z.string()).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      query: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});
export type TargetRecord = z.infer<typeof TargetRecordSchema>;

export const RuleRecordSchema = z.strictObject({
  busName: z.string(),
  name: z.string(),
  /** Incremented by every change: updates are compare-and-set on it. */
  revision: z.number().int().nonnegative(),
  eventPattern: z.string().optional(),
  scheduleExpression: z.string().optional(),
  state: RuleStateSchema,
  description: z.string().optional(),
  roleArn: z.string().optional(),
  targets: z.array(TargetRecordSchema),
  createdAt: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
});
export type RuleRecord = z.infer<typeof RuleRecordSchema>;

/** An event in EventBridge's envelope, as rules match it and targets receive it. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Set on events a replay sends again, so that rules can tell them apart. */
  'replay-name'?: string;
}

const EventEnvelopeSchema = z.strictObject({
  version: z.literal('0'),
  id: z.string(),
  'detail-type': z.string(),
  source: z.string(),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
  'replay-name': z.string().optional(),
});

/** A delivery waiting for its next retry, kept in the store so that a restart resumes it. */
export const PendingDeliverySchema = z.strictObject({
  id: z.string(),
  /** Epoch ms of the next attempt. */
  dueAt: z.number(),
  /** Retries made before this one. */
  retries: z.number().int().nonnegative(),
  job: z.strictObject({
    event: EventEnvelopeSchema,
    deadLetterBody: z.string().optional(),
    target: TargetRecordSchema,
    rule: z.strictObject({
      ruleArn: z.string(),
      ruleName: z.string(),
      ingestedAt: z.number(),
      sourceAttribute: z.enum(['RULE_ARN', 'SCHEDULE_ARN']).optional(),
      viaRole: z.boolean().optional(),
    }),
  }),
});
export type PendingDelivery = z.infer<typeof PendingDeliverySchema>;
