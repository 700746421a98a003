import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiRecord, DeploymentRecord, RouteRecord } from '../../src/services/apigatewayv2/records.js';
import { CachedDocumentRepo } from '../../src/storage/cached-document-repo.js';
import { testStoreKind, useTestStore } from '../helpers/test-store.js';

const api = (apiId: string, name: string): ApiRecord => ({
  apiId,
  name,
  protocolType: 'HTTP',
  routeSelectionExpression: '${request.method} ${request.path}',
  apiKeySelectionExpression: '$request.header.x-api-key',
  disableExecuteApiEndpoint: false,
  corsConfiguration: { allowOrigins: ['*'], maxAge: 60 },
  createdAt: 1,
  tags: { team: 'a' },
});
const route = (routeId: string, routeKey: string): RouteRecord => ({ routeId, routeKey, apiKeyRequired: false, authorizationType: 'NONE', apiGatewayManaged: false, requestParameters: { 'route.request.header.x': { required: true } } });

describe(`API Gateway V2's documents (${testStoreKind()})`, () => {
  const t = useTestStore();

  it('creates once, reads back what was written, and updates by compare-and-set', async () => {
    const { apis } = t().store.apigatewayv2;
    assert.equal(await apis.create('a1', api('a1', 'one')), true);
    assert.equal(await apis.create('a1', api('a1', 'again')), false);
    assert.deepEqual(await apis.get('a1'), { value: api('a1', 'one'), revision: 1 });
    assert.equal(await apis.update('a1', api('a1', 'two'), 1), true);
    assert.equal(await apis.update('a1', api('a1', 'stale'), 1), false);
    assert.equal((await apis.get('a1'))?.value.name, 'two');
  });

  it("lists an API's resources by its prefix only, and deletes them", async () => {
    const { routes } = t().store.apigatewayv2;
    await routes.create('a1/r2', route('r2', 'GET /b'));
    await routes.create('a1/r1', route('r1', 'GET /a'));
    await routes.create('a10/r9', route('r9', 'GET /other-api'));
    assert.deepEqual((await routes.list('a1/', undefined, 10)).map((r) => r.value.routeId), ['r1', 'r2']);
    assert.deepEqual((await routes.list('a1/', 'a1/r1', 10)).map((r) => r.value.routeKey), ['GET /b']);
    assert.equal(await routes.delete('a1/r1'), true);
    assert.equal(await routes.delete('a1/r1'), false);
    assert.deepEqual((await routes.list('a1/', undefined, 10)).map((r) => r.value.routeId), ['r2']);
  });

  it("keeps a deployment's snapshot whole", async () => {
    const { deployments } = t().store.apigatewayv2;
    const d: DeploymentRecord = { deploymentId: 'd1', autoDeployed: true, createdAt: 5, snapshot: { routes: [route('r1', '$default')], integrations: [], authorizers: [], cors: { allowOrigins: ['https://x'] } } };
    await deployments.create('a1/d1', d);
    assert.deepEqual((await deployments.get('a1/d1'))?.value, d);
  });

  it('keeps WebSocket connections by id until they close', async () => {
    const { connections } = t().store.apigatewayv2;
    const c = { connectionId: 'Abc123=', apiId: 'a1', stage: 'dev', connectedAt: 1700000000123, sourceIp: '127.0.0.1', userAgent: 'ws/8', nodeId: 'n1' };
    assert.equal(await connections.create(c.connectionId, c), true);
    assert.equal(await connections.create(c.connectionId, { ...c, nodeId: 'n2' }), false);
    assert.deepEqual((await connections.get('Abc123='))?.value, c);
    assert.equal(await connections.delete('Abc123='), true);
    assert.equal(await connections.get('Abc123='), undefined);
    assert.equal(await connections.delete('Abc123='), false);
  });

  it("answers through a write-through cache as the store does, absent keys and its own writes included, others' writes after 10 s", async () => {
    const inner = t().store.apigatewayv2.apis;
    let now = 0;
    const cached = new CachedDocumentRepo(inner, { now: () => now, maxAgeMs: 10_000 });
    assert.equal(await cached.get('c1'), undefined);
    assert.equal(await cached.create('c1', api('c1', 'one')), true);
    assert.deepEqual(await cached.get('c1'), { value: api('c1', 'one'), revision: 1 });
    assert.equal(await cached.update('c1', api('c1', 'two'), 1), true);
    assert.deepEqual(await cached.get('c1'), { value: api('c1', 'two'), revision: 2 });
    // Another writer (another node) changes the document: the cache still answers what it saw...
    assert.equal(await inner.update('c1', api('c1', 'elsewhere'), 2), true);
    assert.equal((await cached.get('c1'))?.value.name, 'two');
    // ...until a compare-and-set through it is refused: the writer's next read sees the stored revision.
    assert.equal(await cached.update('c1', api('c1', 'stale'), 2), false);
    assert.deepEqual(await cached.get('c1'), { value: api('c1', 'elsewhere'), revision: 3 });
    // Another server's write is seen once the entry is 10 s old.
    assert.equal(await inner.update('c1', api('c1', 'later'), 3), true);
    now += 9_999;
    assert.equal((await cached.get('c1'))?.value.name, 'elsewhere');
    now += 1;
    assert.deepEqual(await cached.get('c1'), { value: api('c1', 'later'), revision: 4 });
    assert.equal(await cached.delete('c1'), true);
    assert.equal(await cached.get('c1'), undefined);
    assert.equal(await inner.get('c1'), undefined);
    assert.deepEqual((await cached.list('c', undefined, 10)).map((r) => r.value.apiId), (await inner.list('c', undefined, 10)).map((r) => r.value.apiId));
  });
});
