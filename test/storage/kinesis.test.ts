import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamRecord } from '../../src/services/kinesis/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const stream = (name: string, shards = 2): StreamRecord => ({
  name,
  arn: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`,
  id: `id-${name}`,
  mode: 'PROVISIONED',
  createdAt: 1_000,
  retentionHours: 24,
  tags: {},
  shards: Array.from({ length: shards }, (_, i) => ({ id: `shardId-00000000000${i}`, startHash: String(i * 10), endHash: String(i * 10 + 9), startSeq: 1, createdAt: 1_000 })),
  nextShardIndex: shards,
  consumers: [],
});

describe(`Kinesis streams, records and stream checkpoints (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates a stream once, lists in pages, updates under the lock and deletes it with its records', async () => {
    const { kinesis } = t().store;
    assert.equal(await kinesis.createStream(stream('b')), true);
    assert.equal(await kinesis.createStream({ ...stream('b'), retentionHours: 48 }), false);
    await kinesis.createStream(stream('a'));
    await kinesis.createStream(stream('c'));
    assert.deepEqual((await kinesis.listStreams(undefined, 2)).map((s) => s.name), ['a', 'b']);
    assert.deepEqual((await kinesis.listStreams('b', 5)).map((s) => s.name), ['c']);
    assert.equal((await kinesis.getStream('b'))?.retentionHours, 24);
    const seen: number[] = [];
    const changed = await kinesis.updateStream('b', (s, last) => (seen.push(last), { ...s, retentionHours: 72 }));
    assert.equal(changed?.retentionHours, 72);
    assert.deepEqual(seen, [0]);
    assert.equal((await kinesis.getStream('b'))?.retentionHours, 72);
    assert.equal(await kinesis.updateStream('zz', (s) => s), undefined);
    await assert.rejects(kinesis.updateStream('b', () => { throw new Error('refused'); }), /refused/);
    assert.equal((await kinesis.getStream('b'))?.retentionHours, 72, 'a refused change changes nothing');
    await kinesis.putRecords('b', [{ partitionKey: 'k', data: Buffer.from('x') }], 5_000, () => [{ shardId: 'shardId-000000000000' }]);
    assert.equal(await kinesis.deleteStream('b'), true);
    assert.equal(await kinesis.deleteStream('b'), false);
    await kinesis.createStream(stream('b'));
    assert.deepEqual(await kinesis.readRecords('b', 'shardId-000000000000', 0, 0, 10), [], 'a new stream of the same name starts empty');
  });

  it('numbers a batch of records in order in one transaction, skipping entries the route refuses', async () => {
    const { kinesis } = t().store;
    await kinesis.createStream(stream('s'));
    const out = await kinesis.putRecords(
      's',
      [
        { partitionKey: 'a', data: Buffer.from('one') },
        { partitionKey: 'b', data: Buffer.from('two') },
        { partitionKey: 'c', data: Buffer.from([0, 255]) },
      ],
      5_000,
      () => [{ shardId: 'shardId-000000000000' }, { error: { code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' } }, { shardId: 'shardId-000000000001' }],
    );
    assert.deepEqual(out, [
      { shardId: 'shardId-000000000000', sequence: 1 },
      { error: { code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' } },
      { shardId: 'shardId-000000000001', sequence: 2 },
    ]);
    const more = await kinesis.putRecords('s', [{ partitionKey: 'a', data: Buffer.from('three') }], 6_000, () => [{ shardId: 'shardId-000000000000' }]);
    assert.deepEqual(more, [{ shardId: 'shardId-000000000000', sequence: 3 }]);
    const shard0 = await kinesis.readRecords('s', 'shardId-000000000000', 0, 0, 10);
    assert.deepEqual(
      shard0.map((r) => [r.sequence, r.partitionKey, r.data.toString(), r.arrivedAt]),
      [
        [1, 'a', 'one', 5_000],
        [3, 'a', 'three', 6_000],
      ],
    );
    assert.deepEqual((await kinesis.readRecords('s', 'shardId-000000000001', 0, 0, 10))[0]?.data, Buffer.from([0, 255]));
    assert.deepEqual((await kinesis.readRecords('s', 'shardId-000000000000', 1, 0, 10)).map((r) => r.sequence), [3]);
    assert.deepEqual((await kinesis.readRecords('s', 'shardId-000000000000', 0, 5_500, 10)).map((r) => r.sequence), [3], 'older records are past retention');
    assert.deepEqual((await kinesis.readRecords('s', 'shardId-000000000000', 0, 0, 1)).map((r) => r.sequence), [1]);
    assert.equal(await kinesis.sequenceBefore('s', 'shardId-000000000000', 5_500), 2);
    assert.equal(await kinesis.sequenceBefore('s', 'shardId-000000000000', 7_000), undefined);
    let last = -1;
    await kinesis.updateStream('s', (s, l) => ((last = l), s));
    assert.equal(last, 3, 'the counter stands at the last number given');
    assert.equal(await kinesis.lastSequence('s'), 3);
    assert.equal(await kinesis.lastSequence('none'), undefined);
    assert.equal(await kinesis.putRecords('none', [{ partitionKey: 'a', data: Buffer.from('x') }], 1, () => [{ shardId: 'x' }]), undefined);
  });

  it('trims records that arrived before a time', async () => {
    const { kinesis } = t().store;
    await kinesis.createStream(stream('s'));
    await kinesis.putRecords('s', [{ partitionKey: 'a', data: Buffer.from('old') }], 1_000, () => [{ shardId: 'shardId-000000000000' }]);
    await kinesis.putRecords('s', [{ partitionKey: 'a', data: Buffer.from('new') }], 9_000, () => [{ shardId: 'shardId-000000000000' }]);
    assert.equal(await kinesis.trim('s', 5_000), 1);
    assert.deepEqual((await kinesis.readRecords('s', 'shardId-000000000000', 0, 0, 10)).map((r) => r.data.toString()), ['new']);
  });

  it('keeps, replaces and forgets the checkpoints of a mapping', async () => {
    const { streamCheckpoints } = t().store;
    await streamCheckpoints.save('m1', { shardId: 'shardId-000000000001', sequence: '5', ended: false });
    await streamCheckpoints.save('m1', { shardId: 'shardId-000000000000', sequence: '', ended: false });
    await streamCheckpoints.save('m2', { shardId: 'shardId-000000000000', sequence: '9', ended: false });
    await streamCheckpoints.save('m1', { shardId: 'shardId-000000000001', sequence: '7', ended: true });
    assert.deepEqual(await streamCheckpoints.list('m1'), [
      { shardId: 'shardId-000000000000', sequence: '', ended: false },
      { shardId: 'shardId-000000000001', sequence: '7', ended: true },
    ]);
    await streamCheckpoints.forget('m1');
    assert.deepEqual(await streamCheckpoints.list('m1'), []);
    assert.deepEqual(await streamCheckpoints.list('m2'), [{ shardId: 'shardId-000000000000', sequence: '9', ended: false }]);
  });
});
