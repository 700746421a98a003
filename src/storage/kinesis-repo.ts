/**
 * Kinesis's store interface (beside store.ts, which names it). A stream is one row (its shards,
 * consumers and tags in a validated JSON record) with a counter of the sequence numbers it has
 * given; records are rows keyed by (stream, shard, sequence). Writes that must see the stream as it
 * is (puts, reshards) run under the stream row's lock, in one transaction.
 */
import type { KinesisRecord, StreamRecord } from '../services/kinesis/model.js';

export interface NewKinesisRecord {
  partitionKey: string;
  data: Buffer;
  /** Overrides the partition key's hash (ExplicitHashKey), as decimal text. */
  explicitHashKey?: string | undefined;
}

/** Where each record of a put goes, decided from the stream as it is inside the transaction: a shard id, or an error for that entry. */
export type PutRoute = (stream: StreamRecord) => ({ shardId: string } | { error: { code: string; message: string } })[];

export type PutOutcome = { shardId: string; sequence: number } | { error: { code: string; message: string } };

export interface KinesisRepo {
  /** False if a stream of that name exists. */
  createStream(s: StreamRecord): Promise<boolean>;
  getStream(name: string): Promise<StreamRecord | undefined>;
  /** Names in ascending order, strictly after `after`. */
  listStreams(after: string | undefined, limit: number): Promise<StreamRecord[]>;
  /**
   * Changes a stream under its lock: `change` gets the stream and the last sequence number given so
   * far, and returns the new record (or throws to change nothing). Undefined if there is no stream.
   */
  updateStream(name: string, change: (s: StreamRecord, lastSequence: number) => StreamRecord): Promise<StreamRecord | undefined>;
  /** The last sequence number the stream has given (0 before its first record). */
  lastSequence(name: string): Promise<number | undefined>;
  /** Deletes the stream with its records. */
  deleteStream(name: string): Promise<boolean>;
  /** Appends records in one transaction, numbering them in order; undefined if there is no stream. */
  putRecords(name: string, records: readonly NewKinesisRecord[], at: number, route: PutRoute): Promise<PutOutcome[] | undefined>;
  /** Records of a shard with a sequence number above `after`, in order, that arrived at or after `since`. */
  readRecords(name: string, shardId: string, after: number, since: number, limit: number): Promise<KinesisRecord[]>;
  /** The sequence number before the shard's first record that arrived at or after `at` (for AT_TIMESTAMP). */
  sequenceBefore(name: string, shardId: string, at: number): Promise<number | undefined>;
  /** Deletes the stream's records that arrived before `before` (epoch ms); how many. */
  trim(name: string, before: number): Promise<number>;
}
