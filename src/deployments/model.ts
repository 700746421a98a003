/** A gradual deployment of a version behind an alias, and its history. */
import { z } from 'zod';
import { StateMachine } from '../lib/state-machine.js';

export const DeploymentStatusSchema = z.enum(['InProgress', 'Succeeded', 'RolledBack', 'Failed', 'Stopped']);

export const DeploymentRecordSchema = z.object({
  id: z.string(),
  functionName: z.string(),
  alias: z.string(),
  strategy: z.string(),
  /** The version the alias pointed at before; null when the alias was created by this deployment. */
  fromVersion: z.string().nullable(),
  toVersion: z.string(),
  status: DeploymentStatusSchema,
  startedAt: z.number(),
  endedAt: z.number().optional(),
  reason: z.string().optional(),
  /** The built-in guard: roll back when the new version's error rate exceeds this... */
  maxErrorRate: z.number(),
  /** ...over at least this many of its invocations since the deployment began. */
  minInvocations: z.number().int(),
  /** Alarms that roll the deployment back when any of them is in ALARM. */
  alarms: z.array(z.string()).default([]),
  /** False: an alarm stops the deployment where its traffic stands (Stopped) instead of rolling it back. */
  rollbackOnAlarm: z.boolean().optional(),
  /** Counts of the new version when the deployment began (the guard looks at what came after). */
  baseline: z.object({ invocations: z.number(), errors: z.number() }),
  steps: z.array(
    z.object({
      weight: z.number(),
      startedAt: z.number(),
      invocations: z.number().optional(),
      errors: z.number().optional(),
    }),
  ),
});

export type DeploymentRecord = z.infer<typeof DeploymentRecordSchema>;
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

/** Every transition not listed is forbidden. */
export const DEPLOYMENT_STATES = new StateMachine<DeploymentStatus>('deployment', {
  InProgress: ['InProgress', 'Succeeded', 'RolledBack', 'Failed', 'Stopped'],
  Succeeded: [],
  Stopped: [],
  RolledBack: [],
  Failed: [],
});
