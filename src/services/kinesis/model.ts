/** Kinesis streams as Selfless keeps them: plain records, no wire shapes (see the handlers). */
import { z } from 'zod';

export const STREAM_MODES = ['PROVISIONED', 'ON_DEMAND'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

export const ShardSchema = z.object({
  id: z.string(),
  parent: z.string().optional(),
  adjacentParent: z.string().optional(),
  /** The hash key range, inclusive, as decimal text (128-bit numbers). */
  startHash: z.string(),
  endHash: z.string(),
  /** The first sequence number the shard can hold; a closed shard also has its last. */
  startSeq: z.number().int(),
  endSeq: z.number().int().optional(),
  createdAt: z.number(),
  /** When a reshard closed it (epoch ms): it is listed until its records pass the retention period. */
  closedAt: z.number().optional(),
});
export type ShardRecord = z.infer<typeof ShardSchema>;

export const ConsumerSchema = z.object({
  name: z.string(),
  arn: z.string(),
  createdAt: z.number(),
});
export type ConsumerRecord = z.infer<typeof ConsumerSchema>;

export const StreamSchema = z.object({
  name: z.string(),
  arn: z.string(),
  id: z.string(),
  mode: z.enum(STREAM_MODES),
  /** Epoch ms. */
  createdAt: z.number(),
  retentionHours: z.number().int(),
  tags: z.record(z.string(), z.string()),
  /** Every shard, open and closed, in creation order. */
  shards: z.array(ShardSchema),
  nextShardIndex: z.number().int(),
  consumers: z.array(ConsumerSchema),
});
export type StreamRecord = z.infer<typeof StreamSchema>;

export const isOpen = (s: ShardRecord): boolean => s.endSeq === undefined;
export const openShards = (s: StreamRecord): ShardRecord[] => s.shards.filter(isOpen);

/** A record as stored: its sequence number is unique and increasing within the stream, so within its shard. */
export interface KinesisRecord {
  shardId: string;
  sequence: number;
  partitionKey: string;
  data: Buffer;
  /** Epoch ms. */
  arrivedAt: number;
}

export const shardIdOf = (index: number): string => `shardId-${String(index).padStart(12, '0')}`;
