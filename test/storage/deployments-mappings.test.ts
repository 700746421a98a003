import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deployment, mapping } from '../helpers/store-records.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

describe(`deployments and event source mappings (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('puts (replacing) deployments, lists a function’s newest first and finds those in progress', async () => {
    const { deployments } = t().store;
    await deployments.put(deployment('d1', 'f', 100));
    await deployments.put(deployment('d2', 'f', 200));
    await deployments.put(deployment('d3', 'f', 200));
    await deployments.put(deployment('g1', 'g', 50));
    await deployments.put({ ...deployment('d1', 'f', 100, 'Succeeded'), endedAt: 150 });
    assert.deepEqual(await deployments.get('d1'), { ...deployment('d1', 'f', 100, 'Succeeded'), endedAt: 150 });
    assert.equal(await deployments.get('missing'), undefined);
    assert.deepEqual((await deployments.list('f')).map((d) => d.id), ['d3', 'd2', 'd1'], 'same start: the later stored first');
    assert.deepEqual((await deployments.inProgress()).map((d) => d.id).sort(), ['d2', 'd3', 'g1']);
  });

  it('creates, reads (oldest first), updates and deletes event source mappings', async () => {
    const { eventSourceMappings } = t().store;
    await eventSourceMappings.create(mapping('u2', 200));
    await eventSourceMappings.create(mapping('u1', 100));
    await eventSourceMappings.create(mapping('u3', 200));
    await assert.rejects(eventSourceMappings.create(mapping('u1', 300)), 'a UUID is used once');
    assert.deepEqual(await eventSourceMappings.get('u1'), mapping('u1', 100));
    assert.equal(await eventSourceMappings.get('missing'), undefined);
    assert.deepEqual((await eventSourceMappings.all()).map((m) => m.uuid), ['u1', 'u2', 'u3']);

    const changed = mapping('u1', 999, { functionName: 'g', enabled: false, state: 'Disabled', filters: ['{"body":{"a":[1]}}'], maximumConcurrency: 5 });
    assert.equal(await eventSourceMappings.update(changed), true);
    assert.equal(await eventSourceMappings.update(mapping('missing', 1)), false);
    assert.deepEqual(await eventSourceMappings.get('u1'), changed);
    assert.deepEqual((await eventSourceMappings.all()).map((m) => m.uuid), ['u1', 'u2', 'u3'], 'order is by creation, not by change');
    assert.equal(await eventSourceMappings.delete('u2'), true);
    assert.equal(await eventSourceMappings.delete('u2'), false);
    assert.deepEqual((await eventSourceMappings.all()).map((m) => m.uuid), ['u1', 'u3']);
  });
});
