/**
 * Storage interfaces. The embedded default is SQLite (./sqlite); a PostgreSQL adapter implements
 * the same interfaces for a fleet. Methods are async so that a networked store fits unchanged.
 */
import type { FunctionRecord } from '../domain/function.js';
import type { InsertResult, NewMessage, QueueCounts, QueueRecord, StoredMessage } from '../queues/model.js';

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

export interface LogLine {
  functionName: string;
  stream: string;
  requestId: string | null;
  timestamp: number;
  message: string;
}

export interface StoredLogLine extends LogLine {
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
  /** Newest first instead of oldest first. */
  descending?: boolean;
}

export interface LogStreamInfo {
  stream: string;
  firstTimestamp: number;
  lastTimestamp: number;
  lastIngestionTime: number;
}

export interface LogRepo {
  append(lines: readonly LogLine[]): Promise<void>;
  query(q: LogQuery): Promise<StoredLogLine[]>;
  streams(functionName: string, limit: number): Promise<LogStreamInfo[]>;
  groups(): Promise<string[]>;
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
  /** Visible messages, oldest first; for FIFO queues in sequence order, skipping groups with a message in flight. */
  readyMessages(queue: string, now: number, limit: number, fifo: boolean): Promise<StoredMessage[]>;
  /** Marks messages received in one transaction: hidden until `visibleAt`, with a new receipt token. */
  markReceived(queue: string, now: number, received: readonly { id: string; visibleAt: number; token: string }[]): Promise<void>;
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

export interface Store {
  readonly functions: FunctionRepo;
  readonly logs: LogRepo;
  readonly queues: QueueRepo;
  close(): Promise<void>;
}
