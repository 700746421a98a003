import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layer } from '../helpers/store-records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

describe(`layers (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('numbers versions from 1 per layer and never reuses a deleted number', async () => {
    const { layers } = t().store;
    assert.equal((await layers.publish(layer('a'))).version, 1);
    assert.equal((await layers.publish(layer('a'))).version, 2);
    assert.equal((await layers.publish(layer('b'))).version, 1);
    await layers.delete('a', 2);
    assert.equal(await layers.get('a', 2), undefined);
    assert.equal((await layers.publish(layer('a', 'third'))).version, 3);
    assert.deepEqual(await layers.get('a', 3), { ...layer('a', 'third'), version: 3 });
  });

  it('lists a layer newest first and every layer by its newest live version', async () => {
    const { layers } = t().store;
    for (const name of ['b', 'a', 'a', 'a', 'B']) await layers.publish(layer(name));
    await layers.delete('a', 3);
    assert.deepEqual((await layers.list('a')).map((l) => l.version), [2, 1]);
    assert.deepEqual((await layers.latest()).map((l) => `${l.name}:${l.version}`), ['B:1', 'a:2', 'b:1']);
    await layers.delete('b', 1);
    assert.deepEqual((await layers.latest()).map((l) => l.name), ['B', 'a']);
  });

  it("replaces a version's policy by compare-and-set on its policy revision", async () => {
    const { layers } = t().store;
    await layers.publish(layer('p'));
    const statement = { Sid: 's1', Effect: 'Allow' };
    assert.equal(await layers.setPolicy('p', 1, [statement], 'r1', 'stale'), false);
    assert.equal(await layers.setPolicy('p', 1, [statement], 'r1', undefined), true);
    assert.equal(await layers.setPolicy('p', 1, [], 'r2', undefined), false);
    assert.deepEqual(await layers.get('p', 1), { ...layer('p'), version: 1, policy: [statement], policyRevisionId: 'r1' });
    assert.equal(await layers.setPolicy('p', 1, [], 'r2', 'r1'), true);
    assert.equal(await layers.setPolicy('p', 9, [], 'r3', undefined), false);
  });

  it('gives concurrent publishes of one layer different numbers', async () => {
    const other = await t().openAnother();
    const published = await Promise.all([...Array(6)].map((_, i) => (i % 2 ? other : t().store).layers.publish(layer('c'))));
    assert.deepEqual(published.map((l) => l.version).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6]);
  });
});
