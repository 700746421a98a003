import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

describe(`schedule states (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('claims each occurrence once, counts fired and skipped, keeps the last result', async () => {
    const repo = t().store.scheduleStates;
    assert.equal(await repo.get('rule:r'), undefined);
    assert.equal(await repo.claim('rule:r', 60_000, false), true);
    assert.equal(await repo.claim('rule:r', 60_000, false), false, 'the same occurrence again');
    assert.equal(await repo.claim('rule:r', 30_000, false), false, 'an earlier occurrence');
    assert.equal(await repo.claim('rule:r', 120_000, true), true);
    assert.equal(await repo.claim('rule:r', 180_000, false), true);
    await repo.setResults([{ key: 'rule:r', result: 'delivered to 2 targets' }]);
    assert.deepEqual(await repo.get('rule:r'), { key: 'rule:r', lastOccurrence: 180_000, lastResult: 'delivered to 2 targets', fired: 2, skipped: 1 });
    await repo.delete('rule:r');
    assert.equal(await repo.get('rule:r'), undefined);
    assert.equal(await repo.claim('rule:r', 60_000, false), true, 'a schedule created again starts afresh');
  });

  it('claims a batch in one go: each key as its own claim would, results kept for each', async () => {
    const repo = t().store.scheduleStates;
    await repo.claim('b:old', 5_000, false);
    const won = await repo.claimMany([
      { key: 'b:new', occurrence: 1_000 },
      { key: 'b:old', occurrence: 5_000 },
      { key: 'b:later', occurrence: 2_000 },
    ]);
    assert.deepEqual([...won].sort(), ['b:later', 'b:new']);
    assert.deepEqual(await repo.claimMany([]), new Set());
    await repo.setResults([
      { key: 'b:new', result: 'sent' },
      { key: 'b:later', result: 'failed: gone' },
      { key: 'b:unknown', result: 'ignored' },
    ]);
    assert.deepEqual(await repo.get('b:new'), { key: 'b:new', lastOccurrence: 1_000, lastResult: 'sent', fired: 1, skipped: 0 });
    assert.equal((await repo.get('b:later'))?.lastResult, 'failed: gone');
    assert.equal(await repo.get('b:unknown'), undefined);
    assert.equal((await repo.get('b:old'))?.fired, 1, 'the claim that lost counts nothing');
    const again = await Promise.all([repo.claimMany([{ key: 'b:new', occurrence: 9_000 }]), repo.claimMany([{ key: 'b:new', occurrence: 9_000 }])]);
    assert.equal(again.filter((w) => w.has('b:new')).length, 1, 'two batches racing for one occurrence: one wins');
  });

  it('two claims of one occurrence at once: exactly one wins', async () => {
    const repo = t().store.scheduleStates;
    await repo.claim('s', 1, false);
    const wins = await Promise.all(Array.from({ length: 8 }, () => repo.claim('s', 2, false)));
    assert.equal(wins.filter(Boolean).length, 1);
  });
});
