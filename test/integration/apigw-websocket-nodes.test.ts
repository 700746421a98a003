/**
 * Connection records across nodes and restarts: a node answers GetConnection for a connection
 * another node holds from its record, calls writing to it GoneException until the fleet routes
 * them, and a node that restarts clears the records it left (their sockets died with it), only its own.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { acceptAnySignature } from '../../src/security/authenticator.js';
import { ConnectionsService } from '../../src/services/apigatewayv2/websocket/connections-service.js';
import type { ConnectionRecord } from '../../src/services/apigatewayv2/websocket/connection-record.js';
import { LocalConnectionRegistry } from '../../src/services/apigatewayv2/websocket/registry.js';
import { WebSocketApis } from '../../src/services/apigatewayv2/websocket/websocket-apis.js';
import { isGone } from '../../src/wire/errors.js';
import { useTestStore } from '../helpers/test-store.js';

const record = (connectionId: string, nodeId: string): ConnectionRecord => ({ connectionId, apiId: 'api1', stage: 'dev', connectedAt: 1_700_000_000_000, sourceIp: '10.0.0.7', userAgent: 'ws', nodeId });

describe('WebSocket connection records across nodes', () => {
  const t = useTestStore();

  it("answers GetConnection from another node's record, and Gone for writes and other APIs", async () => {
    const store = t().store.apigatewayv2;
    await store.connections.create('other=', record('other=', 'node-b'));
    const service = new ConnectionsService(store, new LocalConnectionRegistry(), 'node-a');
    assert.deepEqual(await service.describe('other='), { connectedAt: 1_700_000_000_000, lastActiveAt: 1_700_000_000_000, sourceIp: '10.0.0.7', userAgent: 'ws' });
    await assert.rejects(service.describe('other=', 'api2'), isGone);
    await assert.rejects(service.post('other=', Buffer.from('x')), isGone);
    await assert.rejects(service.close('other='), isGone);
    assert.ok(await store.connections.get('other='), "another node's record stays");
  });

  it('treats a record this node left without a socket as gone, and deletes it', async () => {
    const store = t().store.apigatewayv2;
    await store.connections.create('stale=', record('stale=', 'node-a'));
    const service = new ConnectionsService(store, new LocalConnectionRegistry(), 'node-a');
    await assert.rejects(service.describe('stale='), isGone);
    assert.equal(await store.connections.get('stale='), undefined);
  });

  it('clears only its own records when it starts', async () => {
    const store = t().store.apigatewayv2;
    await store.connections.create('mine=', record('mine=', 'node-a'));
    await store.connections.create('theirs=', record('theirs=', 'node-b'));
    const apis = new WebSocketApis({
      store,
      invoker: undefined as never, // start() invokes nothing
      clock: new ManualClock(),
      logger: silentLogger,
      account: { accountId: '000000000000', region: 'us-east-1' },
      registry: new LocalConnectionRegistry(),
      nodeId: 'node-a',
      authenticator: acceptAnySignature,
      callbackDomain: (id) => `${id}.execute-api.localhost`,
    });
    await apis.start();
    assert.equal(await store.connections.get('mine='), undefined);
    assert.ok(await store.connections.get('theirs='));
  });
});
