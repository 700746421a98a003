/** Small valid records for the storage suite, with the fields a test cares about overridable. */
import { createHash } from 'node:crypto';
import type { AlarmRecord } from '../../src/alarms/model.js';
import type { AsyncEvent } from '../../src/async/model.js';
import type { DeploymentRecord } from '../../src/deployments/model.js';
import type { AliasRecord, FunctionRecord, FunctionVersionRecord, LayerVersionRecord } from '../../src/domain/function.js';
import type { EventSourceMapping } from '../../src/event-sources/model.js';
import type { NewMessage, QueueRecord } from '../../src/services/sqs/model.js';

const SHA = createHash('sha256').update('code').digest('hex');
const config = {
  runtime: 'nodejs20.x',
  handler: 'index.handler',
  role: 'arn:aws:iam::000000000000:role/test',
  description: '',
  timeoutSeconds: 3,
  memoryMb: 128,
  ephemeralStorageMb: 512,
  environment: { A: 'b', NUL: 'x\u0000y' },
  architecture: 'x86_64' as const,
  layers: [],
  logging: { format: 'JSON' as const, applicationLevel: 'WARN' as const, systemLevel: 'INFO' as const },
  tenantIsolation: 'PER_TENANT' as const,
  tracing: 'Active' as const,
  fileSystems: [{ arn: 'arn:aws:elasticfilesystem:us-east-1:000000000000:access-point/fsap-0123456789abcdef0', localMountPath: '/mnt/data' }],
};

export const fn = (name: string, extra: Partial<FunctionRecord> = {}): FunctionRecord => ({
  name,
  config,
  code: { sha256: SHA, size: 10 },
  revisionId: 'r1',
  lastModified: '2026-01-01T00:00:00.000+0000',
  state: 'Active',
  lastUpdateStatus: 'Successful',
  reservedConcurrency: null,
  tags: { team: 'a' },
  aliasUrls: {},
  policy: [],
  lastPublishedVersion: 0,
  recursiveLoop: 'Allow',
  ...extra,
});

export const version = (functionName: string, v: number): FunctionVersionRecord => ({
  functionName,
  version: String(v),
  config,
  code: { sha256: SHA, size: 10 },
  description: `v${v}`,
  revisionId: `r${v}`,
  lastModified: '2026-01-01T00:00:00.000+0000',
});

export const alias = (functionName: string, name: string, functionVersion = '1'): AliasRecord => ({
  functionName,
  name,
  functionVersion,
  description: '',
  additionalVersionWeights: {},
  revisionId: 'r',
});

export const layer = (name: string, description = ''): Omit<LayerVersionRecord, 'version'> => ({
  name,
  description,
  code: { sha256: SHA, size: 10 },
  compatibleRuntimes: ['nodejs20.x'],
  compatibleArchitectures: [],
  createdDate: '2026-01-01T00:00:00.000+0000',
});

export const queue = (name: string, extra: Partial<QueueRecord['settings']> = {}): QueueRecord => ({
  name,
  settings: {
    delaySeconds: 0,
    maximumMessageSize: 262_144,
    messageRetentionPeriod: 345_600,
    receiveMessageWaitTimeSeconds: 0,
    visibilityTimeout: 30,
    fifoQueue: name.endsWith('.fifo'),
    contentBasedDeduplication: false,
    passthrough: {},
    ...extra,
  },
  createdAt: 1,
  modifiedAt: 1,
  tags: {},
});

let messageCount = 0;
export const message = (queueName: string, body: string, extra: Partial<NewMessage> = {}): NewMessage => ({
  queue: queueName,
  id: `00000000-0000-4000-8000-${String(++messageCount).padStart(12, '0')}`,
  body,
  attributes: { color: { dataType: 'String', stringValue: 'red' } },
  systemAttributes: {},
  md5OfBody: createHash('md5').update(body).digest('hex'),
  senderId: 'AIDTEST',
  sentAt: 1000,
  visibleAt: 1000,
  ...extra,
});

export const event = (id: string, extra: Partial<AsyncEvent> = {}): AsyncEvent => ({
  id,
  functionName: 'f',
  state: 'queued',
  payload: Buffer.from([0, 1, 2, 255]),
  acceptedAt: 1000,
  nextAttemptAt: 1000,
  attempts: 0,
  finishedAt: null,
  detail: { invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:f', throttles: 0 },
  ...extra,
});

export const mapping = (uuid: string, lastModified: number, extra: Partial<EventSourceMapping> = {}): EventSourceMapping => ({
  uuid,
  functionName: 'f',
  eventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q',
  enabled: true,
  state: 'Enabled',
  stateTransitionReason: 'USER_INITIATED',
  lastModified,
  batchSize: 10,
  maximumBatchingWindowInSeconds: 0,
  reportBatchItemFailures: false,
  filters: [],
  tags: { team: 'a' },
  ...extra,
});

export const deployment = (id: string, functionName: string, startedAt: number, status: DeploymentRecord['status'] = 'InProgress'): DeploymentRecord => ({
  id,
  functionName,
  alias: 'live',
  strategy: 'Linear10PercentEvery1Minute',
  fromVersion: '1',
  toVersion: '2',
  status,
  startedAt,
  maxErrorRate: 0.1,
  minInvocations: 10,
  alarms: [],
  baseline: { invocations: 0, errors: 0 },
  steps: [{ weight: 0.1, startedAt }],
});

export const alarm = (name: string, state: AlarmRecord['state'] = 'INSUFFICIENT_DATA'): AlarmRecord => ({
  definition: {
    name,
    metric: 'Errors',
    functionName: 'f',
    dimension: { kind: 'function' },
    statistic: 'Sum',
    periodSeconds: 60,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'missing',
    alarmActions: [],
    okActions: [],
    insufficientDataActions: [],
  },
  state,
  stateReason: 'new',
  stateUpdatedAt: 1,
  configurationUpdatedAt: 1,
});
