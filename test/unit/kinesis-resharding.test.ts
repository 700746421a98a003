import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_HASH, hashOfPartitionKey, uniformRange } from '../../src/services/kinesis/hash-keys.js';
import type { StreamRecord } from '../../src/services/kinesis/model.js';
import { mergeShards, predecessorsOf, scaleUniformly, splitShard } from '../../src/services/kinesis/resharding.js';
import { formatSequence, parseSequence } from '../../src/services/kinesis/sequence.js';

function stream(n: number): StreamRecord {
  return {
    name: 's',
    arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
    id: 'id',
    mode: 'PROVISIONED',
    createdAt: 0,
    retentionHours: 24,
    tags: {},
    shards: Array.from({ length: n }, (_, i) => {
      const { start, end } = uniformRange(i, n);
      return { id: `shardId-00000000000${i}`, startHash: start.toString(), endHash: end.toString(), startSeq: 1, createdAt: 0 };
    }),
    nextShardIndex: n,
    consumers: [],
  };
}

const open = (s: StreamRecord) => s.shards.filter((x) => x.endSeq === undefined);
const covers = (s: StreamRecord) => {
  const sorted = open(s).sort((a, b) => (BigInt(a.startHash) < BigInt(b.startHash) ? -1 : 1));
  assert.equal(sorted[0]!.startHash, '0');
  assert.equal(BigInt(sorted.at(-1)!.endHash), MAX_HASH);
  sorted.forEach((x, i) => i > 0 && assert.equal(BigInt(x.startHash), BigInt(sorted[i - 1]!.endHash) + 1n, 'open shards tile the hash space'));
};

describe('Kinesis hash keys, sequence numbers and resharding', () => {
  it('reads partition keys as the MD5 digest, splits the space evenly and writes 56-digit sequence numbers', () => {
    assert.equal(hashOfPartitionKey('a'), BigInt('0x0cc175b9c0f1b6a831c399e269772661'));
    assert.deepEqual(uniformRange(1, 2), { start: 1n << 127n, end: MAX_HASH });
    assert.equal(formatSequence(7).length, 56);
    assert.equal(parseSequence(formatSequence(7)), 7);
    assert.equal(parseSequence('12'), undefined);
    assert.equal(parseSequence('x'), undefined);
  });

  it('closes a split parent at the last sequence number; its children start after it', () => {
    const s = splitShard({ stream: stream(1), last: 41, now: 5 }, 'shardId-000000000000', (1n << 100n).toString(), 'acct');
    assert.deepEqual(s.shards[0]!.endSeq, 41);
    assert.deepEqual(open(s).map((x) => [x.id, x.parent, x.startSeq]), [['shardId-000000000001', 'shardId-000000000000', 42], ['shardId-000000000002', 'shardId-000000000000', 42]]);
    covers(s);
    assert.deepEqual(predecessorsOf(s, s.shards[1]!).map((x) => x.id), ['shardId-000000000000']);
    assert.throws(() => splitShard({ stream: s, last: 41, now: 5 }, 'shardId-000000000000', '5', 'acct'), { name: 'ResourceInUseException' });
    assert.throws(() => splitShard({ stream: s, last: 41, now: 5 }, 'shardId-000000000001', '0', 'acct'), { name: 'InvalidArgumentException' });
  });

  it('merges only adjacent shards, naming both parents', () => {
    const s = mergeShards({ stream: stream(3), last: 9, now: 5 }, 'shardId-000000000002', 'shardId-000000000001', 'acct');
    const merged = open(s).find((x) => x.id === 'shardId-000000000003')!;
    assert.deepEqual([merged.parent, merged.adjacentParent, merged.startSeq], ['shardId-000000000002', 'shardId-000000000001', 10]);
    covers(s);
    assert.deepEqual(predecessorsOf(s, merged).map((x) => x.id).sort(), ['shardId-000000000001', 'shardId-000000000002']);
    assert.throws(() => mergeShards({ stream: stream(3), last: 9, now: 5 }, 'shardId-000000000000', 'shardId-000000000002', 'acct'), { name: 'InvalidArgumentException' });
  });

  it('scales uniformly between half and double, each child waiting for every parent its range overlaps', () => {
    const down = scaleUniformly({ stream: stream(5), last: 3, now: 5 }, 3, 'acct');
    covers(down);
    assert.equal(open(down).length, 3);
    const middle = open(down)[1]!;
    assert.equal(predecessorsOf(down, middle).length, 3, 'the middle third overlaps three of five old shards');
    const up = scaleUniformly({ stream: stream(2), last: 3, now: 5 }, 4, 'acct');
    covers(up);
    assert.throws(() => scaleUniformly({ stream: stream(2), last: 3, now: 5 }, 5, 'acct'), { name: 'InvalidArgumentException' });
    assert.throws(() => scaleUniformly({ stream: stream(5), last: 3, now: 5 }, 2, 'acct'), { name: 'InvalidArgumentException' });
  });
});
