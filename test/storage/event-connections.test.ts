import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiDestinationRecord, ConnectionRecord } from '../../src/services/events/connection-model.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const connection = (name: string, state: ConnectionRecord['state'] = 'AUTHORIZED'): ConnectionRecord => ({
  name,
  uuid: `uuid-${name}`,
  authorizationType: 'API_KEY',
  state,
  secretArn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:events!connection/${name}/uuid-${name}-AbCdEf`,
  auth: { apiKey: { name: 'x-api-key' }, invocation: { headers: [{ key: 'x-team', value: 'ops', secret: false }, { key: 'x-token', secret: true }], query: [], body: [] } },
  createdAt: 1000,
  modifiedAt: 1000,
  lastAuthorizedAt: 1000,
});
const destination = (name: string): ApiDestinationRecord => ({
  name,
  uuid: `uuid-${name}`,
  connectionName: 'hooks',
  connectionArn: 'arn:aws:events:us-east-1:000000000000:connection/hooks/uuid-hooks',
  endpoint: 'https://example.com/orders/*',
  httpMethod: 'POST',
  rateLimitPerSecond: 300,
  createdAt: 2000,
  modifiedAt: 2000,
});

describe(`EventBridge connections and API destinations (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('keeps connections by name with compare-and-set, listed by prefix page after page', async () => {
    const { eventConnections } = t().store;
    assert.equal(await eventConnections.create('hooks', connection('hooks')), true);
    assert.equal(await eventConnections.create('hooks', connection('hooks')), false, 'the name is taken');
    assert.equal(await eventConnections.create('hooks-b', connection('hooks-b')), true);
    assert.equal(await eventConnections.create('billing', connection('billing')), true);
    assert.deepEqual(await eventConnections.get('hooks'), { value: connection('hooks'), revision: 1 });
    assert.equal(await eventConnections.update('hooks', connection('hooks', 'DEAUTHORIZED'), 1), true);
    assert.equal(await eventConnections.update('hooks', connection('hooks', 'AUTHORIZED'), 1), false, 'stale revision');
    assert.equal((await eventConnections.get('hooks'))!.value.state, 'DEAUTHORIZED');
    assert.deepEqual((await eventConnections.list('hooks', undefined, 10)).map((r) => r.value.name), ['hooks', 'hooks-b']);
    assert.deepEqual((await eventConnections.list('', 'billing', 1)).map((r) => r.value.name), ['hooks']);
    assert.equal(await eventConnections.delete('hooks'), true);
    assert.equal(await eventConnections.delete('hooks'), false);
    assert.equal(await eventConnections.get('hooks'), undefined);
  });

  it('keeps API destinations by name', async () => {
    const { apiDestinations } = t().store;
    assert.equal(await apiDestinations.create('orders', destination('orders')), true);
    assert.equal(await apiDestinations.create('orders', destination('orders')), false);
    assert.deepEqual((await apiDestinations.get('orders'))!.value, destination('orders'));
    assert.equal(await apiDestinations.update('orders', { ...destination('orders'), rateLimitPerSecond: 5 }, 1), true);
    assert.equal((await apiDestinations.get('orders'))!.value.rateLimitPerSecond, 5);
    assert.deepEqual((await apiDestinations.list('or', undefined, 10)).map((r) => r.value.name), ['orders']);
    assert.equal(await apiDestinations.delete('orders'), true);
    assert.equal(await apiDestinations.get('orders'), undefined);
  });
});
