/** Alarms on a function's metrics, as CloudWatch keeps them: definition, state and history. */
import { z } from 'zod';

export const METRICS = [
  'Invocations',
  'Errors',
  'Throttles',
  'Duration',
  'ConcurrentExecutions',
  'ColdStarts',
  'InitDuration',
  'MaxMemoryUsed',
  'BilledDuration',
  'GBSeconds',
  'ErrorRate',
] as const;
export const STATISTICS = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount', 'p50', 'p90', 'p99'] as const;
export const COMPARISONS = ['GreaterThanThreshold', 'GreaterThanOrEqualToThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'] as const;
export const MISSING_DATA = ['missing', 'notBreaching', 'breaching', 'ignore'] as const;
export const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;

export type MetricName = (typeof METRICS)[number];
export type Statistic = (typeof STATISTICS)[number];
export type ComparisonOperator = (typeof COMPARISONS)[number];
export type TreatMissingData = (typeof MISSING_DATA)[number];
export type AlarmState = (typeof STATES)[number];

/**
 * The statistics each metric can be read with. Points are one-minute aggregates, so a counter has
 * only its Sum and a duration has no Minimum (the histogram keeps no lower bound).
 */
export const STATISTICS_BY_METRIC: Record<MetricName, readonly Statistic[]> = {
  Invocations: ['Sum'],
  Errors: ['Sum'],
  Throttles: ['Sum'],
  ColdStarts: ['Sum'],
  Duration: ['Average', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'],
  InitDuration: ['Average', 'Sum', 'SampleCount'],
  MaxMemoryUsed: ['Maximum'],
  ConcurrentExecutions: ['Maximum'],
  BilledDuration: ['Sum'],
  GBSeconds: ['Sum'],
  /** Percent of invocations that failed. */
  ErrorRate: ['Average'],
};

export const ALARM_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

export const AlarmDefinitionSchema = z.object({
  name: z.string().regex(ALARM_NAME),
  description: z.string().optional(),
  metric: z.enum(METRICS),
  functionName: z.string(),
  dimension: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('function') }),
    z.object({ kind: z.literal('version'), value: z.string() }),
    z.object({ kind: z.literal('alias'), value: z.string() }),
  ]),
  statistic: z.enum(STATISTICS),
  periodSeconds: z.number().int(),
  evaluationPeriods: z.number().int(),
  datapointsToAlarm: z.number().int(),
  threshold: z.number(),
  comparisonOperator: z.enum(COMPARISONS),
  treatMissingData: z.enum(MISSING_DATA),
  alarmActions: z.array(z.string()),
  okActions: z.array(z.string()),
  insufficientDataActions: z.array(z.string()),
});

export type AlarmDefinition = z.infer<typeof AlarmDefinitionSchema>;

export const AlarmRecordSchema = z.object({
  definition: AlarmDefinitionSchema,
  state: z.enum(STATES),
  stateReason: z.string(),
  stateUpdatedAt: z.number(),
  configurationUpdatedAt: z.number(),
  tags: z.record(z.string(), z.string()).optional(),
});

export type AlarmRecord = z.infer<typeof AlarmRecordSchema>;

export const AlarmHistoryItemSchema = z.object({
  alarmName: z.string(),
  timestamp: z.number(),
  oldState: z.enum(STATES),
  newState: z.enum(STATES),
  reason: z.string(),
});

export type AlarmHistoryItem = z.infer<typeof AlarmHistoryItemSchema>;

/**
 * Every change of state an alarm may make. Staying in the same state is not a transition and
 * records nothing; every pair not listed is forbidden.
 */
export const ALARM_TRANSITIONS: Record<AlarmState, readonly AlarmState[]> = {
  INSUFFICIENT_DATA: ['OK', 'ALARM'],
  OK: ['ALARM', 'INSUFFICIENT_DATA'],
  ALARM: ['OK', 'INSUFFICIENT_DATA'],
};

/** True when `to` is a change from `from`; throws on a transition the table forbids. */
export function isTransition(from: AlarmState, to: AlarmState): boolean {
  if (from === to) return false;
  if (!ALARM_TRANSITIONS[from].includes(to)) throw new Error(`alarm state ${from} -> ${to} is not a transition`);
  return true;
}
