/** CodeDeploy's stored state: applications, deployment groups and Lambda deployments, and their state machines. */
import { z } from 'zod';
import { StateMachine } from '../../lib/state-machine.js';

const Tag = z.object({ key: z.string(), value: z.string() });

export const ApplicationRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  computePlatform: z.literal('Lambda'),
  createdAt: z.number(),
  tags: z.array(Tag),
});
export type ApplicationRecord = z.infer<typeof ApplicationRecordSchema>;

export const AutoRollbackEventSchema = z.enum(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']);
export type AutoRollbackEvent = z.infer<typeof AutoRollbackEventSchema>;

export const AlarmConfigSchema = z.object({ enabled: z.boolean(), ignorePollAlarmFailure: z.boolean(), alarms: z.array(z.string()) });
export const AutoRollbackSchema = z.object({ enabled: z.boolean(), events: z.array(AutoRollbackEventSchema) });
export type AlarmConfig = z.infer<typeof AlarmConfigSchema>;
export type AutoRollback = z.infer<typeof AutoRollbackSchema>;

export const DeploymentGroupRecordSchema = z.object({
  id: z.string(),
  applicationName: z.string(),
  name: z.string(),
  deploymentConfigName: z.string(),
  serviceRoleArn: z.string(),
  alarmConfiguration: AlarmConfigSchema,
  autoRollbackConfiguration: AutoRollbackSchema,
  deploymentStyle: z.object({ deploymentType: z.string(), deploymentOption: z.string() }),
  /** Kept as given (SNS triggers are stored, not sent). */
  triggerConfigurations: z.array(z.unknown()),
  tags: z.array(Tag),
  lastAttempted: z.object({ deploymentId: z.string(), status: z.string(), createdAt: z.number(), endedAt: z.number().optional() }).optional(),
  lastSucceeded: z.object({ deploymentId: z.string(), status: z.string(), createdAt: z.number(), endedAt: z.number().optional() }).optional(),
});
export type DeploymentGroupRecord = z.infer<typeof DeploymentGroupRecordSchema>;

export const DeploymentStatusSchema = z.enum(['Created', 'InProgress', 'Succeeded', 'Failed', 'Stopped']);
export type CodeDeployStatus = z.infer<typeof DeploymentStatusSchema>;

/** Where an in-progress deployment is: a Lambda deployment's lifecycle events, in order. */
export const PhaseSchema = z.enum(['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']);
export type Phase = z.infer<typeof PhaseSchema>;

export const HookStatusSchema = z.enum(['Pending', 'InProgress', 'Succeeded', 'Failed']);
export type HookStatus = z.infer<typeof HookStatusSchema>;

export const HookExecutionSchema = z.object({
  id: z.string(),
  event: z.enum(['BeforeAllowTraffic', 'AfterAllowTraffic']),
  functionName: z.string(),
  status: HookStatusSchema,
  startedAt: z.number(),
  endedAt: z.number().optional(),
});
export type HookExecution = z.infer<typeof HookExecutionSchema>;

export const LambdaTargetSchema = z.object({
  functionName: z.string(),
  alias: z.string(),
  currentVersion: z.string(),
  targetVersion: z.string(),
  beforeAllowTraffic: z.string().optional(),
  afterAllowTraffic: z.string().optional(),
});
export type LambdaTarget = z.infer<typeof LambdaTargetSchema>;

export const CodeDeployDeploymentSchema = z.object({
  id: z.string(),
  applicationName: z.string(),
  deploymentGroupName: z.string(),
  deploymentConfigName: z.string(),
  status: DeploymentStatusSchema,
  phase: PhaseSchema.optional(),
  creator: z.string(),
  description: z.string().optional(),
  /** The revision as given (content kept, for rollbacks), and its digest. */
  revision: z.object({ revisionType: z.string(), content: z.string(), sha256: z.string() }),
  target: LambdaTargetSchema,
  alarmConfiguration: AlarmConfigSchema,
  autoRollbackConfiguration: AutoRollbackSchema,
  hooks: z.array(HookExecutionSchema),
  /** The gradual deployment (src/deployments) that shifts the alias's traffic. */
  trafficDeploymentId: z.string().optional(),
  createdAt: z.number(),
  startedAt: z.number().optional(),
  completedAt: z.number().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  rollback: z.object({ rollbackDeploymentId: z.string().optional(), rollbackTriggeringDeploymentId: z.string().optional(), rollbackMessage: z.string().optional() }).optional(),
});
export type CodeDeployDeployment = z.infer<typeof CodeDeployDeploymentSchema>;

/** Every transition not listed is forbidden. */
export const CODEDEPLOY_STATES = new StateMachine<CodeDeployStatus>('codedeploy deployment', {
  Created: ['InProgress', 'Failed', 'Stopped'],
  InProgress: ['InProgress', 'Succeeded', 'Failed', 'Stopped'],
  Succeeded: [],
  Failed: [],
  Stopped: [],
});

export const HOOK_STATES = new StateMachine<HookStatus>('lifecycle event hook', {
  Pending: ['InProgress', 'Failed'],
  InProgress: ['Succeeded', 'Failed'],
  Succeeded: [],
  Failed: [],
});

export const isDone = (s: CodeDeployStatus): boolean => s === 'Succeeded' || s === 'Failed' || s === 'Stopped';
