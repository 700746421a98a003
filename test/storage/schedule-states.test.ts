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
    await repo.setResult('rule:r', 'delivered to 2 targets');
    assert.deepEqual(await repo.get('rule:r'), { key: 'rule:r', lastOccurrence: 180_000, lastResult: 'delivered to 2 targets', fired: 2, skipped: 1 });
    await repo.delete('rule:r');
    assert.equal(await repo.get('rule:r'), undefined);
    assert.equal(await repo.claim('rule:r', 60_000, false), true, 'a schedule created again starts afresh');
  });

  it('two claims of one occurrence at once: exactly one wins', async () => {
    const repo = t().store.scheduleStates;
    await repo.claim('s', 1, false);
    const wins = await Promise.all(Array.from({ length: 8 }, () => repo.claim('s', 2, false)));
    assert.equal(wins.filter(Boolean).length, 1);
  });
});
