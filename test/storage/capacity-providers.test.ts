import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CapacityProviderRecord } from '../../src/domain/capacity-provider.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const provider = (name: string, extra: Partial<CapacityProviderRecord> = {}): CapacityProviderRecord => ({
  name,
  state: 'Active',
  vpc: { subnetIds: ['subnet-1'], securityGroupIds: [] },
  operatorRoleArn: 'arn:aws:iam::123456789012:role/operator',
  instanceRequirements: { architectures: ['arm64'], excludedInstanceTypes: ['m7g.large'] },
  scaling: { mode: 'Manual', maxVCpuCount: 16, policies: [{ metric: 'LambdaCapacityProviderAverageCPUUtilization', targetValue: 60.5 }] },
  kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
  tags: { team: 'a\u0000b' },
  lastModified: '2026-12-06T09:00:00.000+0000',
  ...extra,
});

describe(`capacity providers and function scaling configs (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates a provider once, reads, counts, updates and deletes it; a missing one answers false', async () => {
    const { capacityProviders: repo } = t().store;
    assert.equal(await repo.get('p'), undefined);
    assert.equal(await repo.create(provider('p')), true);
    assert.equal(await repo.create(provider('p', { operatorRoleArn: 'other' })), false);
    assert.deepEqual(await repo.get('p'), provider('p'));
    assert.equal(await repo.count(), 1);
    assert.equal(await repo.update(provider('p', { scaling: { mode: 'Auto', policies: [] } })), true);
    assert.deepEqual((await repo.get('p'))!.scaling, { mode: 'Auto', policies: [] });
    assert.equal(await repo.update(provider('missing')), false);
    assert.equal(await repo.delete('p'), true);
    assert.equal(await repo.delete('p'), false);
    assert.equal(await repo.count(), 0);
  });

  it('lists providers by name in code-point order, page by page after a cursor', async () => {
    const { capacityProviders: repo } = t().store;
    for (const name of ['b', 'a', 'B', 'a-1', 'c']) await repo.create(provider(name));
    assert.deepEqual((await repo.list(undefined, 10)).map((p) => p.name), ['B', 'a', 'a-1', 'b', 'c']);
    assert.deepEqual((await repo.list(undefined, 2)).map((p) => p.name), ['B', 'a']);
    assert.deepEqual((await repo.list('a', 2)).map((p) => p.name), ['a-1', 'b']);
    assert.deepEqual(await repo.list('c', 2), []);
  });

  it('puts, replaces, reads and deletes scaling configs by function and version', async () => {
    const { functionScaling: repo } = t().store;
    assert.equal(await repo.get('f', '1'), undefined);
    await repo.put({ functionName: 'f', qualifier: '1', minEnvironments: 2, maxEnvironments: 5 });
    await repo.put({ functionName: 'f', qualifier: '$LATEST.PUBLISHED', minEnvironments: 0 });
    await repo.put({ functionName: 'g', qualifier: '1', maxEnvironments: 1 });
    await repo.put({ functionName: 'f', qualifier: '1', minEnvironments: 4 });
    assert.deepEqual(await repo.get('f', '1'), { functionName: 'f', qualifier: '1', minEnvironments: 4 });
    assert.deepEqual(await repo.get('f', '$LATEST.PUBLISHED'), { functionName: 'f', qualifier: '$LATEST.PUBLISHED', minEnvironments: 0 });
    assert.equal(await repo.delete('f', '1'), true);
    assert.equal(await repo.delete('f', '1'), false);
    await repo.deleteAll('f');
    assert.equal(await repo.get('f', '$LATEST.PUBLISHED'), undefined);
    assert.deepEqual(await repo.get('g', '1'), { functionName: 'g', qualifier: '1', maxEnvironments: 1 });
  });
});
