/**
 * Kinesis's hash key space: a partition key's MD5 digest read as a 128-bit unsigned integer picks the
 * shard whose inclusive range holds it; an ExplicitHashKey picks it directly. Streams made with N
 * shards split the space evenly, as CreateStream and UpdateShardCount's UNIFORM_SCALING do.
 */
import { createHash } from 'node:crypto';

export const MAX_HASH = (1n << 128n) - 1n;

export const hashOfPartitionKey = (key: string): bigint => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

/** The i-th of n even ranges of the whole space, inclusive. */
export function uniformRange(i: number, n: number): { start: bigint; end: bigint } {
  const size = (MAX_HASH + 1n) / BigInt(n);
  const start = size * BigInt(i);
  const end = i === n - 1 ? MAX_HASH : start + size - 1n;
  return { start, end };
}

/** An ExplicitHashKey as a number, or undefined if it is not a decimal in [0, 2^128). */
export function parseHashKey(text: string): bigint | undefined {
  if (!/^\d{1,39}$/.test(text)) return undefined;
  const n = BigInt(text);
  return n <= MAX_HASH ? n : undefined;
}

export const inRange = (hash: bigint, r: { startHash: string; endHash: string }): boolean => hash >= BigInt(r.startHash) && hash <= BigInt(r.endHash);
