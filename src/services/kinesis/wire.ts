/** Kinesis's wire shapes from Selfless's records: the only place here that knows the PascalCase names. */
import type { Input } from '../../api/service.js';
import type { ShardRecord, StreamRecord } from './model.js';
import { formatSequence } from './sequence.js';
import type { StreamRef } from './stream-service.js';

export const streamRefOf = (input: Input): StreamRef => ({ name: input['StreamName'] as string | undefined, arn: input['StreamARN'] as string | undefined });

export const renderShard = (s: ShardRecord): Input => ({
  ShardId: s.id,
  ...(s.parent !== undefined ? { ParentShardId: s.parent } : {}),
  ...(s.adjacentParent !== undefined ? { AdjacentParentShardId: s.adjacentParent } : {}),
  HashKeyRange: { StartingHashKey: s.startHash, EndingHashKey: s.endHash },
  SequenceNumberRange: { StartingSequenceNumber: formatSequence(s.startSeq), ...(s.endSeq !== undefined ? { EndingSequenceNumber: formatSequence(s.endSeq) } : {}) },
});

export const renderChildShard = (s: ShardRecord): Input => ({
  ShardId: s.id,
  ParentShards: [s.parent, s.adjacentParent].filter((p): p is string => p !== undefined),
  HashKeyRange: { StartingHashKey: s.startHash, EndingHashKey: s.endHash },
});

export const streamSummary = (s: StreamRecord): Input => ({
  StreamName: s.name,
  StreamARN: s.arn,
  StreamStatus: 'ACTIVE',
  StreamModeDetails: { StreamMode: s.mode },
  StreamCreationTimestamp: s.createdAt / 1000,
});

/** A JSON timestamp: epoch seconds (what SDKs send), or text a date parser reads. */
export function timestampMs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value * 1000;
  const n = Number(value);
  return Number.isFinite(n) ? n * 1000 : Date.parse(String(value));
}

export const tagList = (tags: Record<string, string>): Input[] => Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([Key, Value]) => ({ Key, Value }));
