/**
 * Turns a decided change of one item into what the store writes with it: the index rows of the new
 * item, its TTL expiry, its size and its stream record.
 */
import type { ItemRef, ItemWrite } from '../../storage/dynamodb-repo.js';
import { checkIndexKeys, indexRowOf } from './keys.js';
import { partitionHash } from './key-codec.js';
import { streamRecordOf } from './stream-records.js';
import type { TableRecord } from './table.js';
import { itemSize, valuesEqual, type Item } from './values.js';

export interface WriteContext {
  now: number;
  /** Backfills rewrite items as they are: no stream record. */
  withStream: boolean;
  byService?: boolean;
}

/** Epoch seconds of an item's TTL attribute, when the table's TTL is on and the attribute is a number. */
export function expiryOf(t: TableRecord, item: Item | undefined): number | undefined {
  const v = t.ttl?.enabled && item ? item[t.ttl.attribute] : undefined;
  if (!v || !('N' in v)) return undefined;
  const seconds = Math.floor(Number(v.N));
  return Number.isFinite(seconds) ? seconds : undefined;
}

export function itemWrite(t: TableRecord, ref: ItemRef, before: Item | undefined, after: Item | undefined, ctx: WriteContext): ItemWrite {
  const indexRows: ItemWrite['indexRows'] = [];
  if (after) {
    checkIndexKeys(t, after);
    for (const index of t.indexes) {
      const row = indexRowOf(t, index, after);
      if (row) indexRows.push({ index: index.name, ...row });
    }
  }
  // A write that changes nothing leaves no stream record, as DynamoDB Streams documents; without a
  // stream, nothing is compared.
  const streamed = ctx.withStream && t.stream?.enabled === true;
  const unchanged = streamed && before !== undefined && after !== undefined && valuesEqual({ M: before }, { M: after });
  const record = streamed && !unchanged ? streamRecordOf(t, before, after, ctx.byService) : undefined;
  return {
    ref,
    item: after,
    hash: partitionHash(ref.pk),
    size: after ? itemSize(after) : 0,
    expiresAt: expiryOf(t, after),
    indexRows,
    indexed: t.indexes.length > 0,
    stream: record ? { arn: t.stream!.arn, record: JSON.stringify(record), at: ctx.now } : undefined,
  };
}
