/**
 * DynamoDB's store interface (beside store.ts, which names it). Items are keyed by (table, encoded
 * partition key, encoded sort key): the encodings sort as DynamoDB sorts (src/services/dynamodb/key-codec.ts),
 * so a Query is a range read of one partition and a point read is one lookup. Index rows and
 * stream records are written in the same transaction as the item they come from.
 */
import type { TableRecord } from '../services/dynamodb/table.js';
import type { Item } from '../services/dynamodb/values.js';

/** Where an item lives. A table without a sort key stores an empty `sk`. */
export interface ItemRef {
  table: string;
  pk: Buffer;
  sk: Buffer;
}

export interface IndexRow {
  index: string;
  pk: Buffer;
  sk: Buffer;
  item: Item;
}

/** What a write does to one item: its new version (or its deletion), index rows and stream record. */
export interface ItemWrite {
  ref: ItemRef;
  /** The new item; undefined deletes it. */
  item: Item | undefined;
  /** Scan's order: a hash of `ref.pk` (key-codec's partitionHash). */
  hash: number;
  size: number;
  /** TTL: epoch seconds after which the item may be deleted. */
  expiresAt: number | undefined;
  /** Every index row of the new item; the old item's rows are replaced. */
  indexRows: IndexRow[];
  /** False when the table has no index, so the item has no old index rows to replace (a point write then skips that delete). */
  indexed?: boolean | undefined;
  /** A stream record to append (JSON, without its sequence number) to the stream `arn`. */
  stream?: { arn: string; record: string; at: number } | undefined;
}

/**
 * Decides, from the current items (in the order of the refs), what to write; throwing aborts the
 * whole transaction. Called inside the transaction, with the items locked against other writers.
 */
export type WriteDecision = (current: readonly (Item | undefined)[]) => ItemWrite[];

export interface RequestToken {
  id: string;
  digest: string;
  at: number;
  /** Tokens used before this (epoch ms) are forgotten. */
  since: number;
}

export type WriteOutcome = 'written' | 'replayed' | 'mismatch';

export interface WriteHints {
  /**
   * The decision reads nothing of the current items (a put with no condition, no old values asked
   * for and no stream): the store may leave them unread and pass undefined for each.
   */
  blind?: boolean | undefined;
}

export type SortCondition =
  | { op: 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'prefix'; value: Buffer }
  | { op: 'between'; low: Buffer; high: Buffer };

export interface KeyQuery {
  table: string;
  /** A table's own rows when undefined; else the rows of this index. */
  index: string | undefined;
  pk: Buffer;
  sk: SortCondition | undefined;
  forward: boolean;
  /** Exclusive start: the row's sort key, and for an index the table key too. */
  after?: { sk: Buffer; tablePk?: Buffer; tableSk?: Buffer } | undefined;
  limit: number;
}

export interface ScanQuery {
  table: string;
  index: string | undefined;
  /** Partitions whose hash is in [from, to). */
  hashFrom: number;
  hashTo: number;
  after?: { hash: number; pk: Buffer; sk: Buffer; tablePk?: Buffer; tableSk?: Buffer } | undefined;
  limit: number;
}

export interface StoredStreamRecord {
  sequence: number;
  at: number;
  record: string;
}

export interface DynamoDbRepo {
  createTable(t: TableRecord): Promise<boolean>;
  getTable(name: string): Promise<TableRecord | undefined>;
  /** Names in ascending order, strictly after `after`. */
  listTables(after: string | undefined, limit: number): Promise<string[]>;
  updateTable(t: TableRecord): Promise<boolean>;
  /** Deletes the table with its items and index rows (its stream records stay, as DynamoDB keeps them 24 hours). */
  deleteTable(name: string): Promise<boolean>;
  /** Tables whose TTL is enabled. */
  tablesWithTtl(): Promise<TableRecord[]>;

  getItems(refs: readonly ItemRef[]): Promise<(Item | undefined)[]>;
  /**
   * Reads, decides and writes in one transaction. With a token (TransactWriteItems' client request
   * token), a token already used since `token.since` with the same digest writes nothing again
   * ('replayed'), with another digest nothing at all ('mismatch'); a fresh one is kept with the writes.
   */
  writeItems(refs: readonly ItemRef[], decide: WriteDecision, token?: RequestToken, hints?: WriteHints): Promise<WriteOutcome>;
  query(q: KeyQuery): Promise<Item[]>;
  scan(q: ScanQuery): Promise<{ item: Item; hash: number }[]>;
  stats(table: string): Promise<{ count: number; bytes: number }>;
  /** Items of a table whose TTL passed before `nowSeconds`. */
  expired(table: string, nowSeconds: number, limit: number): Promise<ItemRef[]>;
  /** Deletes a table's rows of one index (an index removed by UpdateTable). */
  dropIndex(table: string, index: string): Promise<void>;

  /** Records of a stream with a sequence number above `after`, in order. */
  streamRecords(arn: string, after: number, limit: number): Promise<StoredStreamRecord[]>;
  /** The highest sequence number of a stream so far (0 when it has none). */
  lastSequence(arn: string): Promise<number>;
  /** Deletes records stored before `before` (epoch ms); how many. */
  trimStreams(before: number): Promise<number>;
}
