/**
 * Storage interfaces. The embedded default is SQLite (./sqlite); a PostgreSQL adapter implements
 * the same interfaces for a fleet. Methods are async so that a networked store fits unchanged.
 */
import type { FunctionRecord } from '../domain/function.js';

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

export interface Store {
  readonly functions: FunctionRepo;
  readonly logs: LogRepo;
  close(): Promise<void>;
}
