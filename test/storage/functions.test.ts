import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alias, fn, version } from '../helpers/store-records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

describe(`functions, versions, aliases and provisioned concurrency (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates, reads, counts, updates and deletes functions; a taken name or a missing one answers false', async () => {
    const { functions } = t().store;
    assert.equal(await functions.get('f'), undefined);
    assert.equal(await functions.create(fn('f')), true);
    assert.equal(await functions.create(fn('f', { revisionId: 'other' })), false);
    assert.deepEqual(await functions.get('f'), fn('f'));
    assert.equal((await functions.get('f'))!.config.environment['NUL'], 'x\u0000y');
    assert.equal(await functions.count(), 1);
    assert.equal(await functions.update(fn('f', { revisionId: 'r2', reservedConcurrency: 5 })), true);
    assert.equal((await functions.get('f'))!.revisionId, 'r2');
    assert.equal((await functions.get('f'))!.reservedConcurrency, 5);
    assert.equal(await functions.update(fn('missing')), false);
    assert.equal(await functions.delete('f'), true);
    assert.equal(await functions.delete('f'), false);
    assert.equal(await functions.count(), 0);
  });

  it('lists functions by name in code-point order, page by page after a cursor', async () => {
    const { functions } = t().store;
    for (const name of ['b', 'a', 'B', 'a-1', 'c']) await functions.create(fn(name));
    assert.deepEqual((await functions.list(undefined, 10)).map((f) => f.name), ['B', 'a', 'a-1', 'b', 'c']);
    assert.deepEqual((await functions.list(undefined, 2)).map((f) => f.name), ['B', 'a']);
    assert.deepEqual((await functions.list('a', 2)).map((f) => f.name), ['a-1', 'b']);
    assert.deepEqual((await functions.list('c', 2)).map((f) => f.name), []);
  });

  it('keeps published versions in number order, pages them, deletes one or all', async () => {
    const { versions } = t().store;
    for (const v of [1, 2, 10, 3]) await versions.put(version('f', v));
    await versions.put(version('g', 1));
    await assert.rejects(versions.put(version('f', 2)), 'a version number is written once');
    assert.deepEqual(await versions.get('f', '10'), version('f', 10));
    assert.equal(await versions.get('f', '4'), undefined);
    assert.deepEqual((await versions.list('f', undefined, 10)).map((v) => v.version), ['1', '2', '3', '10']);
    assert.deepEqual((await versions.list('f', 2, 2)).map((v) => v.version), ['3', '10']);
    assert.equal(await versions.delete('f', '2'), true);
    assert.equal(await versions.delete('f', '2'), false);
    await versions.deleteAll('f');
    assert.deepEqual(await versions.list('f', undefined, 10), []);
    assert.equal((await versions.list('g', undefined, 10)).length, 1);
  });

  it("sets a version's readiness, replacing the reason it had, and leaves its snapshot and the other versions alone", async () => {
    const { versions } = t().store;
    await versions.put({ ...version('s', 1), state: 'Pending', stateReason: 'The function is being created.', stateReasonCode: 'Creating' });
    await versions.put(version('s', 2));
    assert.equal(await versions.setState('s', '1', { state: 'Active' }), true);
    assert.deepEqual(await versions.get('s', '1'), { ...version('s', 1), state: 'Active' });
    assert.equal(await versions.setState('s', '2', { state: 'Failed', stateReason: 'no', stateReasonCode: 'FunctionError' }), true);
    assert.deepEqual((await versions.list('s', undefined, 10)).map((v) => [v.version, v.state, v.stateReasonCode]), [['1', 'Active', undefined], ['2', 'Failed', 'FunctionError']]);
    assert.equal(await versions.setState('s', '3', { state: 'Active' }), false, 'no such version');
    assert.equal(await versions.setState('nobody', '1', { state: 'Active' }), false);
  });

  it('creates aliases once, updates, lists them by name and deletes one or all', async () => {
    const { aliases } = t().store;
    assert.equal(await aliases.create(alias('f', 'live')), true);
    assert.equal(await aliases.create(alias('f', 'live', '2')), false);
    assert.equal(await aliases.create(alias('f', 'beta')), true);
    assert.equal(await aliases.create(alias('g', 'live')), true);
    assert.equal(await aliases.update({ ...alias('f', 'live', '2'), additionalVersionWeights: { '3': 0.25 } }), true);
    assert.equal(await aliases.update(alias('f', 'missing')), false);
    assert.deepEqual(await aliases.get('f', 'live'), { ...alias('f', 'live', '2'), additionalVersionWeights: { '3': 0.25 } });
    assert.equal(await aliases.get('f', 'missing'), undefined);
    assert.deepEqual((await aliases.list('f')).map((a) => a.name), ['beta', 'live']);
    assert.equal(await aliases.delete('f', 'beta'), true);
    assert.equal(await aliases.delete('f', 'beta'), false);
    await aliases.deleteAll('f');
    assert.deepEqual(await aliases.list('f'), []);
    assert.equal((await aliases.list('g')).length, 1);
  });

  it('puts (replacing) provisioned concurrency settings, lists them all or per function, deletes one or all', async () => {
    const { provisioned } = t().store;
    const p = (functionName: string, qualifier: string, requested: number) => ({ functionName, qualifier, requested, lastModified: 'x' });
    await provisioned.put(p('f', 'live', 1));
    await provisioned.put(p('f', 'live', 3));
    await provisioned.put(p('f', '1', 2));
    await provisioned.put(p('e', 'x', 1));
    assert.deepEqual(await provisioned.get('f', 'live'), p('f', 'live', 3));
    assert.equal(await provisioned.get('f', 'nope'), undefined);
    assert.deepEqual((await provisioned.list()).map((r) => `${r.functionName}:${r.qualifier}`), ['e:x', 'f:1', 'f:live']);
    assert.deepEqual((await provisioned.list('f')).map((r) => r.qualifier), ['1', 'live']);
    assert.equal(await provisioned.delete('f', '1'), true);
    assert.equal(await provisioned.delete('f', '1'), false);
    await provisioned.deleteAll('f');
    assert.deepEqual(await provisioned.list('f'), []);
    assert.equal((await provisioned.list()).length, 1);
  });

  it('keeps what it stored when the store is opened again (migrations run once)', async () => {
    await t().store.functions.create(fn('kept'));
    const again = await t().openAnother();
    assert.deepEqual(await again.functions.get('kept'), fn('kept'));
  });
});
