import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingDelivery } from '../../src/services/events/model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const pending = (id: string, dueAt: number, retries = 1): PendingDelivery => ({
  id,
  dueAt,
  retries,
  job: {
    event: { version: '0', id: `e-${id}`, 'detail-type': 'T', source: 's', account: '000000000000', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { a: [1] } },
    target: { id: 't', arn: 'arn:aws:sqs:us-east-1:000000000000:q', input: { kind: 'path', path: '$.detail' }, maximumRetryAttempts: 3, maximumEventAgeSeconds: 60 },
    rule: { ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r', ruleName: 'r', ingestedAt: 5 },
  },
});

describe(`EventBridge deliveries waiting for a retry (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('kept in due order, replaced by id, taken once', async () => {
    const repo = t().store.eventDeliveries;
    await repo.put(pending('b', 200));
    await repo.put(pending('a', 100));
    await repo.put(pending('b', 50, 2));
    assert.deepEqual(await repo.list(), [pending('b', 50, 2), pending('a', 100)]);
    const takes = await Promise.all([repo.take('a'), repo.take('a')]);
    assert.deepEqual(takes.sort(), [false, true]);
    assert.deepEqual(await repo.list(), [pending('b', 50, 2)]);
  });
});
