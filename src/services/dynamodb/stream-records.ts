/** The record a write leaves in its table's stream, as Selfless stores it (items as JSON). */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StreamViewType, TableRecord } from './table.js';
import { itemSize, itemToJson, type Item } from './values.js';
import { keyOf } from './keys.js';

export const StoredRecordSchema = z.object({
  eventID: z.string(),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  keys: z.record(z.string(), z.unknown()),
  newImage: z.record(z.string(), z.unknown()).optional(),
  oldImage: z.record(z.string(), z.unknown()).optional(),
  sizeBytes: z.number(),
  viewType: z.string(),
  /** Set for deletions by TTL: DynamoDB itself, not a caller. */
  service: z.boolean().optional(),
});
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

/** The record for a change of `before` into `after`, with the images the stream's view type keeps. */
export function streamRecordOf(t: TableRecord, before: Item | undefined, after: Item | undefined, byService = false): StoredRecord | undefined {
  if (before === undefined && after === undefined) return undefined;
  const view: StreamViewType = t.stream!.viewType;
  const keys = keyOf(t, (after ?? before)!);
  const record: StoredRecord = {
    eventID: randomUUID().replaceAll('-', ''),
    eventName: before === undefined ? 'INSERT' : after === undefined ? 'REMOVE' : 'MODIFY',
    keys: itemToJson(keys),
    sizeBytes: itemSize(keys),
    viewType: view,
  };
  if (after && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) {
    record.newImage = itemToJson(after);
    record.sizeBytes += itemSize(after);
  }
  if (before && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) {
    record.oldImage = itemToJson(before);
    record.sizeBytes += itemSize(before);
  }
  if (byService) record.service = true;
  return record;
}
