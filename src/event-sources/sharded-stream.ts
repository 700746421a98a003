/**
 * What a stream poller reads, whatever the stream (Kinesis, DynamoDB Streams): its shards with their
 * lineage, and each shard's records after a position. Positions are the stream's own sequence
 * numbers as text; each adapter compares its own.
 */
import type { StartingPosition } from './model.js';

export interface ShardView {
  id: string;
  /** Shards whose records come before this one's for the same keys (closed by the reshard that made it). */
  predecessors: string[];
  closed: boolean;
}

export interface StreamItem {
  sequence: string;
  /** Records of one key stay in order across a mapping's concurrent batches of a shard. */
  partitionKey: string;
  /** Epoch ms. */
  arrivedAt: number;
  /** About how many bytes the record adds to an event (batches stay under Lambda's 6 MB payload). */
  bytes: number;
  /** The record as the function receives it, given the function's execution role. */
  event(role: string): Record<string, unknown>;
  /** What filter patterns are matched against. */
  filterView(): unknown;
}

export interface ShardedStream {
  readonly arn: string;
  /** Undefined when the stream is gone. */
  shards(): Promise<ShardView[] | undefined>;
  /** The position before the first record a new reader at `position` reads. */
  startPosition(shardId: string, position: StartingPosition, timestamp: number | undefined): Promise<string>;
  /** Records after `after`; `ended` once a closed shard has nothing more. */
  read(shardId: string, after: string, limit: number): Promise<{ items: StreamItem[]; ended: boolean }>;
  /** Wakes readers when records arrive (in this process), so idle polls can be slow. */
  onChange(listener: () => void): () => void;
  /** How often an idle reader looks again without a wake-up. */
  readonly idlePollMs: number;
}

/** A stream kind's adapter: whether an ARN is one of its streams, and the stream to read. */
export interface StreamAdapter {
  readonly label: string;
  /** The key of the batch description in an on-failure record ("KinesisBatchInfo", "DDBStreamBatchInfo"). */
  readonly batchInfoKey: string;
  readonly allowsTimestamp: boolean;
  claims(arn: string): boolean;
  /** Throws Lambda's error when the stream does not exist. */
  check(arn: string): Promise<void>;
  open(arn: string): ShardedStream;
}
