import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventBusRecord, RuleRecord } from '../../src/services/events/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const bus = (name: string, description?: string): EventBusRecord => ({ name, createdAt: 1_000, modifiedAt: 1_000, ...(description ? { description } : {}) });

const rule = (busName: string, name: string, revision = 0): RuleRecord => ({
  busName,
  name,
  revision,
  eventPattern: '{"source":["orders"]}',
  state: 'ENABLED',
  targets: [
    {
      id: 't1',
      arn: 'arn:aws:sqs:us-east-1:000000000000:q',
      input: { kind: 'transformer', transformer: { pathsMap: { id: '$.id' }, template: '{"id": <id>}' } },
      maximumRetryAttempts: 3,
      maximumEventAgeSeconds: 60,
      deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
    },
  ],
  createdAt: 2_000,
});

describe(`EventBridge buses and rules (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates buses once, lists them by prefix and page, deletes a bus with its rules', async () => {
    const repo = t().store.eventBridge;
    assert.equal(await repo.createBus(bus('orders', 'order events')), true);
    assert.equal(await repo.createBus(bus('orders')), false);
    assert.equal(await repo.createBus(bus('ops')), true);
    assert.equal(await repo.createBus(bus('billing')), true);
    assert.deepEqual(await repo.getBus('orders'), bus('orders', 'order events'));
    assert.equal(await repo.getBus('nope'), undefined);
    assert.deepEqual((await repo.listBuses('o', undefined, 10)).map((b) => b.name), ['ops', 'orders']);
    assert.deepEqual((await repo.listBuses('', undefined, 2)).map((b) => b.name), ['billing', 'ops']);
    assert.deepEqual((await repo.listBuses('', 'ops', 2)).map((b) => b.name), ['orders']);
    const tagged = { ...bus('orders', 'order events'), tags: { team: 'a' }, policy: '{"Version":"2012-10-17","Statement":[{"Sid":"s"}]}' };
    assert.equal(await repo.updateBus(tagged), true);
    assert.deepEqual(await repo.getBus('orders'), tagged);
    assert.equal(await repo.updateBus(bus('nope')), false);

    assert.equal(await repo.createRule(rule('orders', 'r1')), true);
    assert.equal(await repo.createRule(rule('ops', 'r1')), true);
    assert.equal(await repo.deleteBus('orders'), true);
    assert.equal(await repo.deleteBus('orders'), false);
    assert.equal(await repo.getRule('orders', 'r1'), undefined);
    assert.deepEqual(await repo.getRule('ops', 'r1'), rule('ops', 'r1'));
  });

  it('creates rules once, updates them by compare-and-set on the revision, lists and deletes them', async () => {
    const repo = t().store.eventBridge;
    assert.equal(await repo.createRule(rule('b', 'alpha')), true);
    assert.equal(await repo.createRule(rule('b', 'alpha')), false);
    await repo.createRule(rule('b', 'beta'));
    await repo.createRule(rule('b', 'alpine'));
    await repo.createRule(rule('other', 'alpha'));

    const changed = { ...rule('b', 'alpha', 1), state: 'DISABLED' as const, targets: [] };
    assert.equal(await repo.updateRule(changed), true);
    assert.equal(await repo.updateRule({ ...changed, description: 'stale' }), false, 'revision 0 is no longer current');
    assert.deepEqual(await repo.getRule('b', 'alpha'), changed);
    assert.equal(await repo.updateRule(rule('b', 'missing', 1)), false);

    assert.deepEqual((await repo.listRules('b', 'al', undefined, 10)).map((r) => r.name), ['alpha', 'alpine']);
    assert.deepEqual((await repo.listRules('b', '', 'alpine', 10)).map((r) => r.name), ['beta']);
    assert.equal(await repo.deleteRule('b', 'alpha'), true);
    assert.equal(await repo.deleteRule('b', 'alpha'), false);
    assert.deepEqual((await repo.listRules('b', '', undefined, 10)).map((r) => r.name), ['alpine', 'beta']);
    assert.deepEqual(await repo.getRule('other', 'alpha'), rule('other', 'alpha'));
  });
});
