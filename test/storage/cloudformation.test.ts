import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeSetRecord, ResourceRecord, StackRecord } from '../../src/services/cloudformation/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const id = (name: string, n = 1) => `arn:aws:cloudformation:us-east-1:000000000000:stack/${name}/${n}`;
const stack = (name: string, n = 1, over: Partial<StackRecord> = {}): StackRecord => ({
  stackId: id(name, n),
  name,
  status: 'CREATE_IN_PROGRESS',
  createdAt: 1_000 + n,
  templateBody: '{"Resources":{}}',
  parameters: [{ key: 'P', value: 'v', noEcho: true }],
  outputs: [],
  tags: { team: 'x' },
  capabilities: [],
  notificationArns: [],
  disableRollback: false,
  terminationProtection: false,
  ...over,
});
const resource = (stackId: string, logicalId: string): ResourceRecord => ({
  stackId,
  logicalId,
  type: 'AWS::SQS::Queue',
  physicalId: `https://q/${logicalId}`,
  status: 'CREATE_COMPLETE',
  properties: { QueueName: logicalId },
  attributes: { Arn: `arn:${logicalId}` },
  updatedAt: 5,
});
const changeSet = (stackId: string, name: string, createdAt: number): ChangeSetRecord => ({
  changeSetId: `arn:aws:cloudformation:us-east-1:000000000000:changeSet/${name}/${createdAt}`,
  name,
  stackId,
  stackName: 's',
  type: 'UPDATE',
  status: 'CREATE_COMPLETE',
  executionStatus: 'AVAILABLE',
  createdAt,
  templateBody: '{}',
  parameters: [],
  tags: {},
  capabilities: [],
  notificationArns: [],
  changes: [{ action: 'Add', logicalId: 'Q', type: 'AWS::SQS::Queue', scope: [], details: [] }],
});

describe(`CloudFormation stacks (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates a stack once per live name; finds it by name or id; a deleted stack frees its name but keeps its id', async () => {
    const { cloudformation: cfn } = t().store;
    assert.equal(await cfn.createStack(stack('s')), true);
    assert.equal(await cfn.createStack(stack('s', 2)), false, 'the name is taken');
    assert.deepEqual(await cfn.getStack('s'), stack('s'));
    assert.deepEqual(await cfn.getStack(id('s')), stack('s'));
    assert.equal(await cfn.getStack('none'), undefined);
    assert.equal(await cfn.updateStack({ ...stack('s'), status: 'DELETE_COMPLETE', deletedAt: 9 }), true);
    assert.equal(await cfn.getStack('s'), undefined, 'a deleted stack is not found by name');
    assert.equal((await cfn.getStack(id('s')))?.status, 'DELETE_COMPLETE');
    assert.equal(await cfn.createStack(stack('s', 2)), true, 'the name is free again');
    assert.equal((await cfn.getStack('s'))?.stackId, id('s', 2));
    assert.deepEqual((await cfn.listStacks()).map((s) => s.stackId), [id('s', 2), id('s')], 'newest first, deleted ones too');
  });

  it('updates only from an expected status (compare-and-set)', async () => {
    const { cloudformation: cfn } = t().store;
    await cfn.createStack(stack('s'));
    assert.equal(await cfn.updateStack({ ...stack('s'), status: 'CREATE_COMPLETE' }, ['UPDATE_IN_PROGRESS']), false);
    assert.equal((await cfn.getStack('s'))?.status, 'CREATE_IN_PROGRESS');
    assert.equal(await cfn.updateStack({ ...stack('s'), status: 'CREATE_COMPLETE' }, ['CREATE_IN_PROGRESS', 'ROLLBACK_IN_PROGRESS']), true);
    assert.equal((await cfn.getStack('s'))?.status, 'CREATE_COMPLETE');
  });

  it('puts, replaces, lists and deletes resources per stack', async () => {
    const { cloudformation: cfn } = t().store;
    await cfn.putResource(resource(id('a'), 'Q2'));
    await cfn.putResource(resource(id('a'), 'Q1'));
    await cfn.putResource(resource(id('b'), 'Q1'));
    await cfn.putResource({ ...resource(id('a'), 'Q1'), status: 'UPDATE_COMPLETE' });
    assert.deepEqual((await cfn.resources(id('a'))).map((r) => [r.logicalId, r.status]), [['Q1', 'UPDATE_COMPLETE'], ['Q2', 'CREATE_COMPLETE']]);
    await cfn.deleteResource(id('a'), 'Q1');
    assert.deepEqual((await cfn.resources(id('a'))).map((r) => r.logicalId), ['Q2']);
    assert.equal((await cfn.resources(id('b'))).length, 1);
  });

  it('keeps events newest first', async () => {
    const { cloudformation: cfn } = t().store;
    for (const status of ['CREATE_IN_PROGRESS', 'CREATE_FAILED', 'ROLLBACK_COMPLETE']) {
      await cfn.appendEvent({ eventId: status, stackId: id('s'), stackName: 's', logicalId: 's', type: 'AWS::CloudFormation::Stack', status, timestamp: 1 });
    }
    await cfn.appendEvent({ eventId: 'other', stackId: id('o'), stackName: 'o', logicalId: 'o', type: 'AWS::CloudFormation::Stack', status: 'X', timestamp: 1 });
    assert.deepEqual((await cfn.events(id('s'))).map((e) => e.eventId), ['ROLLBACK_COMPLETE', 'CREATE_FAILED', 'CREATE_IN_PROGRESS']);
  });

  it('stores change sets by id and by stack and name', async () => {
    const { cloudformation: cfn } = t().store;
    const a = changeSet(id('s'), 'a', 2);
    const b = changeSet(id('s'), 'b', 1);
    await cfn.putChangeSet(a);
    await cfn.putChangeSet(b);
    assert.deepEqual(await cfn.getChangeSet(a.changeSetId), a);
    assert.deepEqual(await cfn.getChangeSet('b', id('s')), b);
    assert.equal(await cfn.getChangeSet('b', id('other')), undefined);
    assert.equal(await cfn.getChangeSet('b'), undefined);
    await cfn.putChangeSet({ ...a, status: 'FAILED' });
    assert.deepEqual((await cfn.changeSets(id('s'))).map((c) => [c.name, c.status]), [['b', 'CREATE_COMPLETE'], ['a', 'FAILED']]);
    await cfn.deleteChangeSet(b.changeSetId);
    assert.deepEqual((await cfn.changeSets(id('s'))).map((c) => c.name), ['a']);
  });

  it('replaces a stack\'s exports and imports; tells who imports an export', async () => {
    const { cloudformation: cfn } = t().store;
    await cfn.setExports(id('a'), [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }]);
    await cfn.setExports(id('b'), [{ name: 'Z', value: '3' }]);
    await cfn.setExports(id('a'), [{ name: 'Y', value: '22' }]);
    assert.deepEqual(await cfn.exports(), [{ name: 'Y', value: '22', stackId: id('a') }, { name: 'Z', value: '3', stackId: id('b') }]);
    await cfn.setImports(id('c'), ['Y', 'Z']);
    await cfn.setImports(id('d'), ['Y']);
    assert.deepEqual(await cfn.importers('Y'), [id('c'), id('d')]);
    await cfn.setImports(id('c'), ['Z']);
    assert.deepEqual(await cfn.importers('Y'), [id('d')]);
    assert.deepEqual(await cfn.importers('Z'), [id('c')]);
  });
});
