import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RepositoryRecord } from '../../src/services/ecr/model.js';
import type { InstanceProfileRecord, ManagedPolicyRecord, RoleRecord } from '../../src/services/iam/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const role = (name: string, attached: string[] = []): RoleRecord => ({
  name,
  path: '/',
  roleId: 'AROAEXAMPLE',
  arn: `arn:aws:iam::1:role/${name}`,
  createdAt: 1,
  assumeRolePolicy: '{"Statement":[]}',
  description: 'd',
  maxSessionDuration: 3600,
  tags: [{ key: 'k', value: 'v' }],
  inlinePolicies: [{ name: 'p', document: '{}' }],
  attachedPolicies: attached,
});
const policy = (name: string): ManagedPolicyRecord => ({
  name,
  path: '/x/',
  policyId: 'ANPAEXAMPLE',
  arn: `arn:aws:iam::1:policy/x/${name}`,
  createdAt: 1,
  updatedAt: 2,
  defaultVersionId: 'v2',
  nextVersion: 3,
  versions: [{ versionId: 'v2', document: '{}', createdAt: 2 }],
  tags: [],
});
const profile = (name: string): InstanceProfileRecord => ({ name, path: '/', instanceProfileId: 'AIPA', arn: `arn:aws:iam::1:instance-profile/${name}`, createdAt: 1, roles: ['r'], tags: [] });
const repository = (name: string): RepositoryRecord => ({
  name,
  arn: `arn:aws:ecr:us-east-1:1:repository/${name}`,
  registryId: '1',
  uri: `1.dkr.ecr.us-east-1.amazonaws.com/${name}`,
  createdAt: 1,
  imageTagMutability: 'IMMUTABLE',
  scanOnPush: true,
  encryption: { type: 'KMS', kmsKey: 'arn:k' },
  policy: '{}',
  lifecyclePolicy: '{"rules":[]}',
  tags: [{ key: 'a', value: 'b' }],
});

describe(`IAM's and ECR's documents (${testStoreKind()})`, () => {
  const t = useTestStore();

  it("IAM's roles, policies and instance profiles: created once, read back whole, changed with compare-and-set, listed and deleted", async () => {
    const { roles, policies, instanceProfiles } = t().store.iam;
    assert.equal(await roles.create('worker', role('Worker')), true);
    assert.equal(await roles.create('worker', role('worker')), false);
    assert.deepEqual(await roles.get('worker'), { value: role('Worker'), revision: 1 });
    assert.equal(await roles.update('worker', role('Worker', ['arn:p']), 1), true);
    assert.equal(await roles.update('worker', role('Worker'), 1), false, 'a stale writer loses');
    assert.deepEqual((await roles.get('worker'))?.value.attachedPolicies, ['arn:p']);
    await roles.create('admin', role('admin'));
    assert.deepEqual((await roles.list('', undefined, 10)).map((r) => r.value.name), ['admin', 'Worker']);
    assert.deepEqual((await roles.list('', 'admin', 10)).map((r) => r.value.name), ['Worker']);
    assert.equal(await roles.delete('worker'), true);
    assert.equal(await roles.delete('worker'), false);

    assert.equal(await policies.create('p1', policy('p1')), true);
    assert.deepEqual((await policies.get('p1'))?.value, policy('p1'));
    assert.equal(await instanceProfiles.create('ip', profile('ip')), true);
    assert.deepEqual((await instanceProfiles.get('ip'))?.value, profile('ip'));
    assert.equal(await instanceProfiles.get('other'), undefined);
  });

  it("ECR's repositories, with their policies and settings", async () => {
    const { repositories } = t().store.ecr;
    assert.equal(await repositories.create('cdk-assets', repository('cdk-assets')), true);
    assert.equal(await repositories.create('cdk-assets', repository('cdk-assets')), false);
    assert.deepEqual(await repositories.get('cdk-assets'), { value: repository('cdk-assets'), revision: 1 });
    const { policy: _p, ...withoutPolicy } = repository('cdk-assets');
    assert.equal(await repositories.update('cdk-assets', withoutPolicy, 1), true);
    assert.deepEqual((await repositories.get('cdk-assets'))?.value, withoutPolicy);
    await repositories.create('app/web', repository('app/web'));
    assert.deepEqual((await repositories.list('', undefined, 10)).map((r) => r.value.name), ['app/web', 'cdk-assets']);
    assert.equal(await repositories.delete('app/web'), true);
    assert.equal(await repositories.get('app/web'), undefined);
  });
});
