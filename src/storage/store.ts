/**
 * Storage interfaces. The embedded default is SQLite (./sqlite); the PostgreSQL adapter (./postgres)
 * implements the same interfaces for a fleet. Methods are async so that a networked store fits.
 */
import type { AlarmHistoryItem, AlarmRecord } from '../alarms/model.js';
import type { DeploymentRecord } from '../deployments/model.js';
import type { AliasRecord, LayerVersionRecord, FunctionRecord, FunctionVersionRecord, ProvisionedConcurrencyRecord } from '../domain/function.js';
import type { InsertResult, NewMessage, QueueCounts, QueueRecord, StoredMessage } from '../queues/model.js';
import type { AsyncEvent, EventInvokeConfig, EventState } from '../async/model.js';
import type { EventSourceMapping } from '../event-sources/model.js';
import type { MetricsRepo } from '../telemetry/metrics.js';
import type { SessionRecord } from '../domain/session.js';
// S3
import type { BucketRecord, ObjectRecord, PartRecord, UploadRecord, WriteCondition } from '../services/s3/model.js';
import type { KmsAliasRecord, KmsKeyRecord } from '../domain/kms.js';
import type { ParameterRecord } from '../domain/parameter.js';
import type { SecretRecord } from '../domain/secret.js';
import type { MetricDatum, MetricIdentity } from '../domain/custom-metric.js';
import type { DynamoDbRepo } from './dynamodb-repo.js';
import type { BlobStore } from '../services/s3/blobs.js';
import type { PendingDelivery as SnsPendingDelivery, SubscriptionRecord, TopicRecord } from '../sns/model.js';
import type { EventBusRecord, PendingDelivery as EventPendingDelivery, RuleRecord } from '../events/model.js';
import type { ScheduleGroupRecord, ScheduleRecord } from '../scheduler/model.js';

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
  firstTimestamp: number;
  lastTimestamp: number;
  lastIngestionTime: number;
}

export interface LogRepo {
  append(records: readonly LogRecord[]): Promise<void>;
  query(q: LogQuery): Promise<StoredLogLine[]>;
  streams(functionName: string, limit: number): Promise<LogStreamInfo[]>;
  groups(): Promise<string[]>;
  /** A function's log retention in days (PutRetentionPolicy); undefined keeps its logs for ever. */
  setRetention(functionName: string, days: number | undefined): Promise<void>;
  /** Retention in days by function, for the functions that have one. */
  retentions(): Promise<Map<string, number>>;
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
  /** Marks up to `limit` due events (queued or retrying, `nextAttemptAt <= now`) running, in one transaction, and returns them. */
  claim(now: number, limit: number): Promise<AsyncEvent[]>;
  /** The earliest `nextAttemptAt` of a queued or retrying event. */
  nextDueAt(): Promise<number | undefined>;
  /** Writes the event if it is still in one of `from` (compare and set); false if it is not. */
  update(event: AsyncEvent, from: readonly EventState[]): Promise<boolean>;
  /** Puts events left running (by a stopped or killed server) back in the queue. */
  requeueRunning(now: number): Promise<number>;
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

// S3: buckets, object metadata, multipart uploads (the bytes are in a BlobStore).
export interface S3Repo {
  /** False if the name is taken. */
  createBucket(bucket: BucketRecord): Promise<boolean>;
  getBucket(name: string): Promise<BucketRecord | undefined>;
  /** Replaces a bucket's record (its configuration); false if it does not exist. */
  updateBucket(bucket: BucketRecord): Promise<boolean>;
  /** By name, ascending. */
  listBuckets(): Promise<BucketRecord[]>;
  deleteBucket(name: string): Promise<'deleted' | 'missing' | 'not-empty'>;
  /**
   * Makes `object` its key's current object, if `condition` holds of the current one: `written` false
   * otherwise. `replaced` is the object it replaced, whose blobs the caller reclaims.
   */
  putObject(object: ObjectRecord, condition?: WriteCondition): Promise<{ written: boolean; replaced: ObjectRecord | undefined }>;
  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /** Rewrites an object's record (its tags) if it is still the current object (same ETag); its bytes stay. */
  updateObject(object: ObjectRecord): Promise<boolean>;
  /** The object removed, if there was one (and, given `etag`, only if it is still that object). */
  deleteObject(bucket: string, key: string, etag?: string): Promise<ObjectRecord | undefined>;
  /** Objects whose keys start with `prefix` and sort after `after` (UTF-8 byte order), ascending. */
  listObjects(bucket: string, prefix: string, after: string, limit: number): Promise<ObjectRecord[]>;
  createUpload(upload: UploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /** By key then initiation, ascending. */
  listUploads(bucket: string): Promise<UploadRecord[]>;
  /** Removes the upload and its parts; returns the parts, whose blobs the caller reclaims (none if it was gone). */
  deleteUpload(uploadId: string): Promise<PartRecord[] | undefined>;
  /** The part it replaced, if any. */
  putPart(part: PartRecord): Promise<PartRecord | undefined>;
  /** By part number, ascending. */
  listParts(uploadId: string): Promise<PartRecord[]>;
}

// --- Secrets: KMS keys, Secrets Manager, SSM parameters, and the master key's check value ---

/** A stored document and its revision, which `update` compares and sets. */
export interface Revisioned<T> {
  value: T;
  revision: number;
}

/** Documents keyed by a name, written with compare-and-set, so that two nodes never lose each other's change. */
export interface DocumentRepo<T> {
  get(key: string): Promise<Revisioned<T> | undefined>;
  /** Keys starting with `prefix`, in ascending order (code points), strictly after `after`. */
  list(prefix: string, after: string | undefined, limit: number): Promise<Revisioned<T>[]>;
  /** Inserts at revision 1; false if the key is taken. */
  create(key: string, value: T): Promise<boolean>;
  /** Replaces the document if it is still at `revision` (then at revision + 1); false if it changed or is gone. */
  update(key: string, value: T, revision: number): Promise<boolean>;
  delete(key: string): Promise<boolean>;
}

/** What the store knows of the master key: a check value, never the key. */
export interface KeyringRepo {
  masterKeyCheck(): Promise<string | undefined>;
  /** Records the check value unless one is already there; returns the one recorded. */
  recordMasterKeyCheck(check: string): Promise<string>;
}

export interface SecretsStore {
  readonly keyring: KeyringRepo;
  /** By key id. */
  readonly kmsKeys: DocumentRepo<KmsKeyRecord>;
  /** By alias name (`alias/...`). */
  readonly kmsAliases: DocumentRepo<KmsAliasRecord>;
  /** By secret name. */
  readonly secrets: DocumentRepo<SecretRecord>;
  /** By parameter name. */
  readonly parameters: DocumentRepo<ParameterRecord>;
}
// --- end of secrets ---

/** Metrics callers publish (CloudWatch's PutMetricData, EMF lines), one statistic set per metric, unit and minute. */
export interface CustomMetricRepo {
  /** Adds each datum to what is stored for the same metric, dimensions, unit and minute. */
  merge(data: readonly MetricDatum[]): Promise<void>;
  /** One metric (exactly these dimensions), minutes in [from, to), oldest first. */
  query(metric: MetricIdentity, from: number, to: number): Promise<MetricDatum[]>;
  /** Every metric with data since `since`, of a namespace and name when given, by namespace, name and dimensions. */
  list(filter: { namespace?: string; metricName?: string }, since: number): Promise<MetricIdentity[]>;
  /** Deletes data of minutes before `minute`; how many rows. */
  deleteBefore(minute: number): Promise<number>;
}

/** SNS topics and their subscriptions, by ARN; lists in ascending ARN order, strictly after `after`. */
export interface SnsRepo {
  /** Inserts a topic unless one has its ARN; returns the topic stored under the ARN either way. */
  createTopic(topic: TopicRecord): Promise<TopicRecord>;
  getTopic(arn: string): Promise<TopicRecord | undefined>;
  /** Replaces a topic's attributes and tags; false if it does not exist. */
  updateTopic(topic: TopicRecord): Promise<boolean>;
  listTopics(after: string | undefined, limit: number): Promise<TopicRecord[]>;
  /** Deletes a topic and its subscriptions; false if it did not exist. */
  deleteTopic(arn: string): Promise<boolean>;
  /** The next sequence number of a FIFO topic's messages (1, 2, ...). */
  nextSequence(topicArn: string): Promise<number>;
  /** Inserts or replaces a subscription. */
  putSubscription(subscription: SubscriptionRecord): Promise<void>;
  getSubscription(arn: string): Promise<SubscriptionRecord | undefined>;
  deleteSubscription(arn: string): Promise<boolean>;
  /** A topic's subscriptions (all of them when `limit` is undefined). */
  subscriptionsOf(topicArn: string, after: string | undefined, limit?: number): Promise<SubscriptionRecord[]>;
  listSubscriptions(after: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  /** Inserts or replaces an HTTP/S delivery under way. */
  putDelivery(delivery: SnsPendingDelivery): Promise<void>;
  deleteDelivery(id: string): Promise<void>;
  /** Every delivery under way, soonest attempt first. */
  pendingDeliveries(): Promise<SnsPendingDelivery[]>;
}

// --- EventBridge ---

/** Event buses and their rules (each rule with its targets, changed by compare-and-set on its revision). */
export interface EventBridgeRepo {
  getBus(name: string): Promise<EventBusRecord | undefined>;
  /** Buses whose names start with `prefix`, ascending, strictly after `after`. */
  listBuses(prefix: string, after: string | undefined, limit: number): Promise<EventBusRecord[]>;
  /** False if the name is taken. */
  createBus(bus: EventBusRecord): Promise<boolean>;
  /** Deletes a bus with its rules; false if there was none. */
  deleteBus(name: string): Promise<boolean>;
  getRule(busName: string, name: string): Promise<RuleRecord | undefined>;
  /** A bus's rules whose names start with `prefix`, ascending, strictly after `after`. */
  listRules(busName: string, prefix: string, after: string | undefined, limit: number): Promise<RuleRecord[]>;
  /** False if the rule exists. */
  createRule(rule: RuleRecord): Promise<boolean>;
  /** Replaces a rule whose stored revision is `rule.revision - 1`; false if it changed or is gone. */
  updateRule(rule: RuleRecord): Promise<boolean>;
  deleteRule(busName: string, name: string): Promise<boolean>;
}

/** Where each schedule (a scheduled rule, a Scheduler schedule) stands: its last occurrence, fired or skipped. */
export interface ScheduleState {
  key: string;
  /** Epoch ms of the last occurrence claimed (fired or skipped). */
  lastOccurrence: number;
  /** What the last fired occurrence did, for `selfless schedules`. */
  lastResult: string | null;
  fired: number;
  skipped: number;
}

export interface ScheduleStateRepo {
  get(key: string): Promise<ScheduleState | undefined>;
  /**
   * Claims an occurrence: true if it is later than the last one claimed, so that it fires once
   * across restarts and across the nodes of a fleet. `skipped` counts it as missed instead of fired.
   */
  claim(key: string, occurrence: number, skipped: boolean): Promise<boolean>;
  setResult(key: string, result: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** EventBridge Scheduler's schedule groups and schedules. */
export interface SchedulerRepo {
  getGroup(name: string): Promise<ScheduleGroupRecord | undefined>;
  listGroups(prefix: string, after: string | undefined, limit: number): Promise<ScheduleGroupRecord[]>;
  /** False if the name is taken. */
  createGroup(group: ScheduleGroupRecord): Promise<boolean>;
  /** Deletes a group with its schedules; false if there was none. */
  deleteGroup(name: string): Promise<boolean>;
  getSchedule(groupName: string, name: string): Promise<ScheduleRecord | undefined>;
  /** Schedules ordered by group then name, strictly after the cursor `[group, name]`; of one group if given. */
  listSchedules(groupName: string | undefined, prefix: string, after: readonly [string, string] | undefined, limit: number): Promise<ScheduleRecord[]>;
  /** False if the schedule exists. */
  createSchedule(schedule: ScheduleRecord): Promise<boolean>;
  /** False if the schedule does not exist. */
  updateSchedule(schedule: ScheduleRecord): Promise<boolean>;
  deleteSchedule(groupName: string, name: string): Promise<boolean>;
}

/** EventBridge target deliveries waiting to be retried. */
export interface EventDeliveryRepo {
  put(delivery: EventPendingDelivery): Promise<void>;
  /** Removes a delivery to run it; false if another node (or an earlier start) already took it. */
  take(id: string): Promise<boolean>;
  list(): Promise<EventPendingDelivery[]>;
}

export interface Store {
  readonly alarms: AlarmRepo;
  readonly deployments: DeploymentRepo;
  readonly layers: LayerRepo;
  readonly functions: FunctionRepo;
  readonly versions: VersionRepo;
  readonly aliases: AliasRepo;
  readonly provisioned: ProvisionedConcurrencyRepo;
  readonly logs: LogRepo;
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
  readonly eventBridge: EventBridgeRepo;
  readonly scheduleStates: ScheduleStateRepo;
  readonly scheduler: SchedulerRepo;
  readonly eventDeliveries: EventDeliveryRepo;
  close(): Promise<void>;
}
