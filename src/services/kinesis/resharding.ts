/**
 * Resharding as pure changes of a stream record: SplitShard, MergeShards and UpdateShardCount's
 * UNIFORM_SCALING. A reshard closes its parents at the last sequence number given so far, and its
 * children take numbers after it, so a reader that finishes the parents before the children reads
 * every partition key's records in order.
 */
import { KinesisErrors } from '../../wire/errors.js';
import { parseHashKey, uniformRange } from './hash-keys.js';
import { isOpen, openShards, shardIdOf, type ShardRecord, type StreamRecord } from './model.js';

export const MAX_SHARDS = 500;

interface Reshard {
  stream: StreamRecord;
  last: number;
  now: number;
}

function closeAll(r: Reshard, ids: readonly string[]): ShardRecord[] {
  return r.stream.shards.map((s) => (ids.includes(s.id) ? { ...s, endSeq: r.last, closedAt: r.now } : s));
}

function child(r: Reshard, index: number, start: bigint, end: bigint, parent?: string, adjacentParent?: string): ShardRecord {
  return {
    id: shardIdOf(index),
    ...(parent !== undefined ? { parent } : {}),
    ...(adjacentParent !== undefined ? { adjacentParent } : {}),
    startHash: start.toString(),
    endHash: end.toString(),
    startSeq: r.last + 1,
    createdAt: r.now,
  };
}

function openShard(r: Reshard, id: string, account: string): ShardRecord {
  const shard = r.stream.shards.find((s) => s.id === id);
  if (!shard) throw KinesisErrors.shardNotFound(id, r.stream.name, account);
  if (!isOpen(shard)) throw KinesisErrors.resourceInUse(`Shard ${id} in stream ${r.stream.name} under account ${account} has already been merged or split, and thus is not eligible for merging or splitting.`);
  return shard;
}

function checkLimit(r: Reshard, open: number, account: string): void {
  if (open > MAX_SHARDS) throw KinesisErrors.limitExceeded(`This request would exceed the shard limit for the account ${account} in us-east-1. Current limit of shards is ${MAX_SHARDS}.`);
}

export function splitShard(r: Reshard, shardId: string, newStartingHashKey: string, account: string): StreamRecord {
  const parent = openShard(r, shardId, account);
  const at = parseHashKey(newStartingHashKey);
  const start = BigInt(parent.startHash);
  const end = BigInt(parent.endHash);
  if (at === undefined || at <= start || at > end) {
    throw KinesisErrors.invalidArgument(`NewStartingHashKey ${newStartingHashKey} used in SplitShard() on shard ${shardId} in stream ${r.stream.name} under account ${account} is not both greater than one plus the shard's StartingHashKey ${parent.startHash} and less than the shard's EndingHashKey ${parent.endHash}.`);
  }
  checkLimit(r, openShards(r.stream).length + 1, account);
  const i = r.stream.nextShardIndex;
  const children = [child(r, i, start, at - 1n, parent.id), child(r, i + 1, at, end, parent.id)];
  return { ...r.stream, shards: [...closeAll(r, [parent.id]), ...children], nextShardIndex: i + 2 };
}

export function mergeShards(r: Reshard, shardId: string, adjacentId: string, account: string): StreamRecord {
  const a = openShard(r, shardId, account);
  const b = openShard(r, adjacentId, account);
  const adjacent = BigInt(a.endHash) + 1n === BigInt(b.startHash) || BigInt(b.endHash) + 1n === BigInt(a.startHash);
  if (!adjacent) throw KinesisErrors.invalidArgument(`Shards ${shardId} and ${adjacentId} in stream ${r.stream.name} under account ${account} are not an adjacent pair of shards eligible for merging`);
  const start = BigInt(a.startHash) < BigInt(b.startHash) ? BigInt(a.startHash) : BigInt(b.startHash);
  const end = BigInt(a.endHash) > BigInt(b.endHash) ? BigInt(a.endHash) : BigInt(b.endHash);
  const merged = child(r, r.stream.nextShardIndex, start, end, a.id, b.id);
  return { ...r.stream, shards: [...closeAll(r, [a.id, b.id]), merged], nextShardIndex: r.stream.nextShardIndex + 1 };
}

/** Closes every open shard and opens `target` even ones; each names the (up to two) parents its range overlaps first. */
export function scaleUniformly(r: Reshard, target: number, account: string): StreamRecord {
  const open = openShards(r.stream).sort((x, y) => (BigInt(x.startHash) < BigInt(y.startHash) ? -1 : 1));
  if (target > open.length * 2) {
    throw KinesisErrors.invalidArgument(`UpdateShardCount failed for stream ${r.stream.name} under account ${account}: cannot scale up to more than double the current open shard count ${open.length}.`);
  }
  if (target * 2 < open.length) {
    throw KinesisErrors.invalidArgument(`UpdateShardCount failed for stream ${r.stream.name} under account ${account}: cannot scale down below half the current open shard count ${open.length}.`);
  }
  checkLimit(r, target, account);
  const children: ShardRecord[] = [];
  for (let i = 0; i < target; i++) {
    const { start, end } = uniformRange(i, target);
    const parents = open.filter((s) => BigInt(s.startHash) <= end && BigInt(s.endHash) >= start).map((s) => s.id);
    children.push(child(r, r.stream.nextShardIndex + i, start, end, parents[0], parents[1]));
  }
  return { ...r.stream, shards: [...closeAll(r, open.map((s) => s.id)), ...children], nextShardIndex: r.stream.nextShardIndex + target };
}

/**
 * The shards a reader must finish before `shard`: those closed by the reshard that opened it and
 * overlapping its range (a uniform scale-down can give a child more than the two parents it names).
 */
export function predecessorsOf(stream: StreamRecord, shard: ShardRecord): ShardRecord[] {
  return stream.shards.filter(
    (s) => s.endSeq !== undefined && s.endSeq === shard.startSeq - 1 && s.closedAt === shard.createdAt && BigInt(s.startHash) <= BigInt(shard.endHash) && BigInt(s.endHash) >= BigInt(shard.startHash),
  );
}
