/**
 * Storage interfaces. The embedded default is SQLite (./sqlite); the PostgreSQL adapter (./postgres)
 * implements the same interfaces for a fleet. Methods are async so that a networked store fits.
 */
import type { ChangeSignals } from './change-signals.js';
import type { FleetRepo } from './fleet-repo.js';
import type { AlarmHistoryItem, AlarmRecord } from '../alarms/model.js';
import type { CompositeAlarmRecord } from '../alarms/composite-model.js';
import type { DashboardRecord } from '../domain/dashboard.js';
import type { LogResourcePolicyRecord } from '../services/logs/model.js';
import type { ApiDestinationRecord, ConnectionRecord } from '../services/events/connection-model.js';
import type { DocumentRepo as Documents } from './secrets-repo.js';
import type { DeploymentRecord } from '../deployments/model.js';
import type { AliasRecord, LayerVersionRecord, FunctionRecord, FunctionVersionRecord, ProvisionedConcurrencyRecord, VersionState } from '../domain/function.js';
import type { InsertResult, NewMessage, QueueCounts, QueueRecord, StoredMessage } from '../services/sqs/model.js';
import type { AsyncEvent, EventInvokeConfig, EventState } from '../async/model.js';
import type { EventSourceMapping } from '../event-sources/model.js';
import type { KinesisRepo } from './kinesis-repo.js';
import type { StreamCheckpointRepo } from './stream-checkpoint-repo.js';
import type { MetricsRepo } from '../telemetry/metrics.js';
import type { SessionRecord } from '../domain/session.js';
import type { BlobStore } from '../services/s3/blobs.js';
import type { DynamoDbRepo } from './dynamodb-repo.js';
import type { S3Repo } from './s3-repo.js';
import type { SecretsStore } from './secrets-repo.js';
import type { ApiGatewayV2Store } from './apigatewayv2-repo.js';
import type { CustomMetricRepo } from './custom-metric-repo.js';
import type { SnsRepo } from './sns-repo.js';
import type { ApiGatewayRepo } from './apigateway-repo.js';
import type { EventArchiveRepo, EventBridgeRepo, ScheduleStateRepo, SchedulerRepo, EventDeliveryRepo } from './eventbridge-repo.js';
import type { IamStore } from './iam-repo.js';
import type { EcrStore } from './ecr-repo.js';
import type { CloudFormationRepo } from './cloudformation-repo.js';
import type { CodeDeployStore } from './codedeploy-repo.js';
import type { LogFilterStore } from './log-filter-repo.js';
import type { CapacityProviderRepo, FunctionScalingRepo } from './capacity-provider-repo.js';
// Each service's store interfaces live in a file of their own; Store gathers them.
export type { S3Repo } from './s3-repo.js';
export type { Revisioned, DocumentRepo, KeyringRepo, SecretsStore } from './secrets-repo.js';
export type { CustomMetricRepo } from './custom-metric-repo.js';
export type { SnsRepo } from './sns-repo.js';
export type { ApiGatewayRepo } from './apigateway-repo.js';
export type { EventArchiveRepo, EventBridgeRepo, ScheduleState, ScheduleStateRepo, SchedulerRepo, EventDeliveryRepo } from './eventbridge-repo.js';
export type { IamStore } from './iam-repo.js';
export type { EcrStore } from './ecr-repo.js';
export type { CloudFormationRepo } from './cloudformation-repo.js';
export type { CodeDeployStore } from './codedeploy-repo.js';
export type { LogFilterStore } from './log-filter-repo.js';
export type { CapacityProviderRepo, FunctionScalingRepo } from './capacity-provider-repo.js';

export interface FunctionRepo {
  get(name: string): Promise<FunctionRecord | undefined>;
  /** Names in ascending order, strictly after `after`. */
  list(after: string | undefined, limit: number): Promise<FunctionRecord[]>;
  count(): Promise<number>;
  /** Inserts a new function; false if the name is taken. */
  create(record: FunctionRecord): Promise<boolean>;
  /** Replaces a function; false if it does not exist. */
  update(record: FunctionRecord): Promise<boolean>;
  delete(name: string): Promise<boolean>;
}

/** One line of a function's log. */
export interface LogLine {
  functionName: string;
  stream: string;
  requestId: string | null;
  timestamp: number;
  message: string;
}

/**
 * The lines of one invocation (or, with no request id, lines printed outside any invocation), stored
 * together: one write per invocation, not one per line.
 */
export interface LogRecord {
  /** The log group's key (services/logs/group-names.ts): the function's name for its own group. */
  functionName: string;
  stream: string;
  requestId: string | null;
  lines: readonly { timestamp: number; message: string }[];
}

export interface StoredLogLine extends LogLine {
  /** Increases in the order lines were stored; a pagination cursor. */
  id: number;
  ingestionTime: number;
}

export interface LogQuery {
  functionName: string;
  stream?: string;
  requestId?: string;
  /** Substring that the message must contain. */
  contains?: string;
  startTime?: number;
  endTime?: number;
  /** Only lines with an id greater than this (pagination cursor). */
  afterId?: number;
  limit: number;
}

export interface LogStreamInfo {
  stream: string;
  /** When CreateLogStream made it, or, for a stream made by writing to it, its first event's time. */
  creationTime: number;
  /** Absent while the stream holds no event. */
  firstTimestamp?: number;
  lastTimestamp?: number;
  lastIngestionTime?: number;
}

/**
 * Function logs and the other log groups. `functionName` is a group's key (see
 * services/logs/group-names.ts): a function's name for its `/aws/lambda/` group.
 */
export interface LogRepo {
  append(records: readonly LogRecord[]): Promise<void>;
  query(q: LogQuery): Promise<StoredLogLine[]>;
  /** A line id at least that of every line stored so far: lines stored later have greater ids (a live tail's start). */
  lastLineId(): Promise<number>;
  streams(functionName: string, limit: number): Promise<LogStreamInfo[]>;
  groups(): Promise<string[]>;
  /** A function's log retention in days (PutRetentionPolicy); undefined keeps its logs for ever. */
  setRetention(functionName: string, days: number | undefined): Promise<void>;
  /** Retention in days by function, for the functions that have one. */
  retentions(): Promise<Map<string, number>>;
  /** Records a log group created before its function logs (CreateLogGroup); false if it was already recorded. */
  createGroup(functionName: string, createdAt: number, tags?: Record<string, string>): Promise<boolean>;
  /** A group's tags; empty for a group never tagged. */
  groupTags(functionName: string): Promise<Record<string, string>>;
  /** Replaces a group's tags, recording the group (at `createdAt`) if it was known only by its lines. */
  setGroupTags(functionName: string, tags: Record<string, string>, createdAt: number): Promise<void>;
  /** Records a stream made by CreateLogStream; false if the group has a stream of that name already (recorded or written to). */
  createStream(functionName: string, stream: string, createdAt: number): Promise<boolean>;
  hasStream(functionName: string, stream: string): Promise<boolean>;
  /** Deletes a stream's lines and record; false if there was neither. */
  deleteStream(functionName: string, stream: string): Promise<boolean>;
  /** Deletes a function's log group: its lines, streams, retention and record. False if there was none of these. */
  deleteGroup(functionName: string): Promise<boolean>;
  /**
   * Deletes up to `max` of the function's oldest records whose last line is older than `beforeMs`;
   * returns how many. Records are taken in the order they were stored.
   */
  deleteOlderThan(functionName: string, beforeMs: number, max: number): Promise<number>;
}

/** Queues and their messages. Times are epoch milliseconds; a message is visible when `visibleAt <= now`. */
export interface QueueRepo {
  getQueue(name: string): Promise<QueueRecord | undefined>;
  /** Queues whose name starts with `prefix`, in ascending order, strictly after `after`. */
  listQueues(prefix: string, after: string | undefined, limit: number): Promise<QueueRecord[]>;
  createQueue(queue: QueueRecord): Promise<boolean>;
  updateQueue(queue: QueueRecord): Promise<boolean>;
  /** Deletes the queue with its messages. */
  deleteQueue(name: string): Promise<boolean>;
  /**
   * Stores a batch of messages in one transaction. A message with a deduplication id already seen
   * in its queue after `dedupSince` is not stored; its result names the original.
   */
  insertMessages(messages: readonly NewMessage[], dedupSince: number): Promise<InsertResult[]>;
  /**
   * Takes visible messages in one transaction, oldest first (FIFO: in sequence order, skipping groups
   * with a message in flight), at most one per token: each is hidden until `visibleAt` under its
   * token. Messages already received `maxReceiveCount` times go to the dead-letter queue instead and
   * use up their places. Concurrent receives, from this node or another, never take the same message.
   */
  receiveMessages(queue: string, spec: ReceiveSpec): Promise<ReceiveResult>;
  /** Moves messages to another queue, visible at `now`, with a fresh receive count. */
  moveMessages(from: string, to: string, ids: readonly string[], now: number, deadLetterSourceArn: string | null): Promise<number>;
  /** Moves every message of `from` (only those that came from `sourceArn`, if given) to `to`. */
  moveAllMessages(from: string, to: string, now: number, sourceArn?: string): Promise<number>;
  /** Dead-letter source ARNs of the messages in a queue. */
  deadLetterSources(queue: string): Promise<string[]>;
  /** Deletes messages whose receipt token matches, in one transaction; true for each one deleted or already gone. */
  deleteMessages(queue: string, handles: readonly { id: string; token: string }[]): Promise<boolean[]>;
  /** Changes the visibility of in-flight messages whose token matches; false for each that is not. */
  changeVisibility(queue: string, now: number, changes: readonly { id: string; token: string; visibleAt: number }[]): Promise<boolean[]>;
  /** Deletes messages sent at or before `sentAtOrBefore`. */
  purge(queue: string, sentAtOrBefore: number): Promise<number>;
  counts(queue: string, now: number): Promise<QueueCounts>;
  /** The earliest time after `now` at which a message of the queue becomes visible. */
  nextVisibleAt(queue: string, now: number): Promise<number | undefined>;
}

export interface ReceiveSpec {
  now: number;
  /** One fresh receipt token per message that may be taken: their number is the limit. */
  tokens: readonly string[];
  visibleAt: number;
  fifo: boolean;
  deadLetter?: { queue: string; maxReceiveCount: number; sourceArn: string } | undefined;
}

export interface ReceiveResult {
  /** As stored after the receive: `receiptToken`, `visibleAt`, `receiveCount` and `firstReceivedAt` set. */
  received: StoredMessage[];
  /** How many messages went to the dead-letter queue. */
  deadLettered: number;
}

export interface VersionRepo {
  put(v: FunctionVersionRecord): Promise<void>;
  get(functionName: string, version: string): Promise<FunctionVersionRecord | undefined>;
  /** Versions in ascending order, strictly after `after`. */
  list(functionName: string, after: number | undefined, limit: number): Promise<FunctionVersionRecord[]>;
  delete(functionName: string, version: string): Promise<boolean>;
  deleteAll(functionName: string): Promise<void>;
  /** Sets a version's readiness (its snapshot never changes); false if there is no such version. */
  setState(functionName: string, version: string, state: VersionState): Promise<boolean>;
}

export interface AliasRepo {
  /** Inserts an alias; false if the name is taken. */
  create(a: AliasRecord): Promise<boolean>;
  update(a: AliasRecord): Promise<boolean>;
  get(functionName: string, name: string): Promise<AliasRecord | undefined>;
  list(functionName: string): Promise<AliasRecord[]>;
  delete(functionName: string, name: string): Promise<boolean>;
  deleteAll(functionName: string): Promise<void>;
}

export interface ProvisionedConcurrencyRepo {
  put(p: ProvisionedConcurrencyRecord): Promise<void>;
  get(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyRecord | undefined>;
  list(functionName?: string): Promise<ProvisionedConcurrencyRecord[]>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
  deleteAll(functionName: string): Promise<void>;
}

/** Asynchronous invocation events. Times are epoch milliseconds. */
export interface AsyncEventRepo {
  /** Stores new events in one transaction. */
  insert(events: readonly AsyncEvent[]): Promise<void>;
  /**
   * Marks up to `limit` due events (queued or retrying, `nextAttemptAt <= now`) running on `node`
   * (their `claimedBy`), in one transaction, and returns them.
   */
  claim(now: number, limit: number, node: string): Promise<AsyncEvent[]>;
  /** The earliest `nextAttemptAt` of a queued or retrying event. */
  nextDueAt(): Promise<number | undefined>;
  /**
   * Writes the event if it is still in one of `from` and, if it is running, still claimed by
   * `event.claimedBy` (compare and set); false if not.
   */
  update(event: AsyncEvent, from: readonly EventState[]): Promise<boolean>;
  /**
   * Puts events left running by a stopped or killed server back in the queue: those `node` claimed
   * (in its previous life), or every one when `node` is undefined (the store's only server).
   */
  requeueRunning(now: number, node?: string): Promise<number>;
  /**
   * Puts back in the queue the running events of dead nodes: those claimed by a node of the fleet
   * (`FleetRepo`) silent since before `aliveSince`, by one it no longer knows, or by none recorded.
   */
  requeueOrphaned(now: number, aliveSince: number): Promise<number>;
  get(id: string): Promise<AsyncEvent | undefined>;
  /** A function's events in `states`, most recently finished first. */
  list(functionName: string, states: readonly EventState[], limit: number): Promise<AsyncEvent[]>;
  delete(id: string): Promise<boolean>;
  /** Deletes a function's events in `states` beyond the `keep` most recent, and those finished before `finishedBefore`. */
  prune(functionName: string, states: readonly EventState[], keep: number, finishedBefore: number): Promise<number>;
}

export interface EventInvokeConfigRepo {
  get(functionName: string, qualifier: string): Promise<EventInvokeConfig | undefined>;
  put(config: EventInvokeConfig): Promise<void>;
  delete(functionName: string, qualifier: string): Promise<boolean>;
  /** A function's configs by qualifier, in ascending order, strictly after `after`. */
  list(functionName: string, after: string | undefined, limit: number): Promise<EventInvokeConfig[]>;
}

/** Event source mappings, few enough that the mapping service keeps them all in memory. */
export interface EventSourceMappingRepo {
  get(uuid: string): Promise<EventSourceMapping | undefined>;
  /** Every mapping, oldest first. */
  all(): Promise<EventSourceMapping[]>;
  create(mapping: EventSourceMapping): Promise<void>;
  update(mapping: EventSourceMapping): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
}

export interface LayerRepo {
  /** Stores the next version of a layer (numbers are never reused) and returns it. */
  publish(record: Omit<LayerVersionRecord, 'version'>): Promise<LayerVersionRecord>;
  get(name: string, version: number): Promise<LayerVersionRecord | undefined>;
  /** Versions of a layer, newest first. */
  list(name: string): Promise<LayerVersionRecord[]>;
  /** Every layer's newest version. */
  latest(): Promise<LayerVersionRecord[]>;
  delete(name: string, version: number): Promise<void>;
  /**
   * Replaces a version's policy if its policy revision is still `expectedRevision` (undefined: it had
   * none); false if it changed meanwhile or the version is gone.
   */
  setPolicy(name: string, version: number, policy: LayerVersionRecord['policy'], revision: string, expectedRevision: string | undefined): Promise<boolean>;
}

export interface DeploymentRepo {
  put(d: DeploymentRecord): Promise<void>;
  get(id: string): Promise<DeploymentRecord | undefined>;
  /** A function's deployments, newest first. */
  list(functionName: string): Promise<DeploymentRecord[]>;
  inProgress(): Promise<DeploymentRecord[]>;
}

export interface AlarmRepo {
  put(a: AlarmRecord): Promise<void>;
  get(name: string): Promise<AlarmRecord | undefined>;
  /** By name. */
  list(): Promise<AlarmRecord[]>;
  /** Deletes the alarm and its history; false if it does not exist. */
  delete(name: string): Promise<boolean>;
  /** Saves the alarm's new state and its history item together. */
  transition(a: AlarmRecord, item: AlarmHistoryItem): Promise<void>;
  /** Newest first. */
  history(name: string, limit: number): Promise<AlarmHistoryItem[]>;
  /** Records a history item of an alarm kept elsewhere (a composite alarm). */
  appendHistory(item: AlarmHistoryItem): Promise<void>;
  /** Forgets an alarm's history (a deleted composite alarm's). */
  deleteHistory(name: string): Promise<void>;
}

/** Function and layer zips, content-addressed: the key is the zip's SHA-256 in hex. */
export interface CodePackageRepo {
  /** Stores the zip unless a package with this hash is already there. */
  put(sha256: string, zip: Buffer): Promise<void>;
  get(sha256: string): Promise<Buffer | undefined>;
  has(sha256: string): Promise<boolean>;
}

/** Temporary credentials issued by STS, by access key id. */
export interface SessionRepo {
  put(session: SessionRecord): Promise<void>;
  get(accessKeyId: string): Promise<SessionRecord | undefined>;
  /** Forgets the sessions that expired before `now` (epoch ms); how many. */
  prune(now: number): Promise<number>;
}

export interface Store {
  readonly alarms: AlarmRepo;
  /** CloudWatch's composite alarms, by name (their history is in `alarms`). */
  readonly compositeAlarms: Documents<CompositeAlarmRecord>;
  /** CloudWatch's dashboards, by name. */
  readonly dashboards: Documents<DashboardRecord>;
  /** CloudWatch Logs' account-level resource policies, by policy name. */
  readonly logResourcePolicies: Documents<LogResourcePolicyRecord>;
  /** EventBridge's connections, by name (their credentials are in a secret, not here). */
  readonly eventConnections: Documents<ConnectionRecord>;
  /** EventBridge's API destinations, by name. */
  readonly apiDestinations: Documents<ApiDestinationRecord>;
  readonly deployments: DeploymentRepo;
  readonly layers: LayerRepo;
  readonly functions: FunctionRepo;
  readonly versions: VersionRepo;
  readonly aliases: AliasRepo;
  readonly provisioned: ProvisionedConcurrencyRepo;
  /** Lambda Managed Instances' capacity providers. */
  readonly capacityProviders: CapacityProviderRepo;
  /** PutFunctionScalingConfig's settings, by function and published version. */
  readonly functionScaling: FunctionScalingRepo;
  readonly logs: LogRepo;
  /** Metric and subscription filters of log groups. */
  readonly logFilters: LogFilterStore;
  readonly queues: QueueRepo;
  readonly asyncEvents: AsyncEventRepo;
  readonly eventInvokeConfigs: EventInvokeConfigRepo;
  readonly eventSourceMappings: EventSourceMappingRepo;
  readonly metrics: MetricsRepo;
  readonly codePackages: CodePackageRepo;
  readonly sessions: SessionRepo;
  readonly s3: S3Repo;
  /** Encrypted-at-rest state: KMS keys, secrets, parameters. */
  readonly vault: SecretsStore;
  readonly customMetrics: CustomMetricRepo;
  readonly dynamodb: DynamoDbRepo;
  /** S3's object bytes: files in the data dir beside SQLite, chunks in PostgreSQL for a fleet. */
  readonly s3Blobs: BlobStore;
  readonly sns: SnsRepo;
  readonly apigateway: ApiGatewayRepo;
  readonly eventBridge: EventBridgeRepo;
  readonly scheduleStates: ScheduleStateRepo;
  readonly scheduler: SchedulerRepo;
  readonly eventDeliveries: EventDeliveryRepo;
  readonly eventArchives: EventArchiveRepo;
  /** API Gateway V2's APIs and their resources. */
  readonly apigatewayv2: ApiGatewayV2Store;
  readonly iam: IamStore;
  readonly ecr: EcrStore;
  readonly kinesis: KinesisRepo;
  readonly streamCheckpoints: StreamCheckpointRepo;
  readonly cloudformation: CloudFormationRepo;
  readonly codedeploy: CodeDeployStore;
  /** The nodes sharing this store, and the leases of singleton tasks. */
  readonly fleet: FleetRepo;
  /** Hints between the nodes sharing this store that something changed (a queue's messages). */
  readonly signals: ChangeSignals;
  close(): Promise<void>;
}
