import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { apiGatewayClient, deploy, httpCall } from '../helpers/execute-api.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('REST APIs: HTTP_PROXY integrations to a backend on this machine', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;
  let backend: Server;
  let apiId: string;

  before(async () => {
    // A backend that echoes what reached it.
    backend = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(req.url?.includes('teapot') ? 418 : 200, { 'content-type': 'application/json', 'x-backend': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, header: req.headers['x-client'], body: Buffer.concat(chunks).toString() }));
      });
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const port = (backend.address() as AddressInfo).port;
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
    const api = await client.send(new CreateRestApiCommand({ name: 'http' }));
    apiId = api.id!;
    const add = async (parentId: string, pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart }))).id!;
    const proxy = await add(api.rootResourceId!, '{proxy+}');
    const dead = await add(api.rootResourceId!, 'dead');
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: proxy, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
    await client.send(
      new PutIntegrationCommand({
        restApiId: apiId,
        resourceId: proxy,
        httpMethod: 'ANY',
        type: 'HTTP_PROXY',
        integrationHttpMethod: 'ANY',
        uri: `http://127.0.0.1:${port}/backend/{proxy}`,
        requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
      }),
    );
    // A backend that is not there: a port that was just closed.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: dead, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: dead, httpMethod: 'GET', type: 'HTTP_PROXY', integrationHttpMethod: 'GET', uri: `http://127.0.0.1:${closedPort}/` }));
    await deploy(client, apiId, 'prod');
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
    await new Promise<void>((resolve) => backend?.close(() => resolve()));
  });

  it('forwards method, path, query, headers and body, and returns the backend answer as it is', async () => {
    const res = await httpCall(t.platform.url, `/_aws/execute-api/${apiId}/prod/a/b?x=1&y=2`, { method: 'POST', headers: { 'x-client': 'c1', 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-backend'], 'yes');
    assert.ok(res.headers['x-amzn-requestid']);
    assert.deepEqual(res.json(), { method: 'POST', url: '/backend/a/b?x=1&y=2', header: 'c1', body: 'hello' });
    assert.equal((await httpCall(t.platform.url, `/_aws/execute-api/${apiId}/prod/teapot`)).status, 418, "the backend's status as it is");
  });

  it('a backend that cannot be reached is a 502', async () => {
    const res = await httpCall(t.platform.url, `/_aws/execute-api/${apiId}/prod/dead`);
    assert.equal(res.status, 502);
    assert.equal(res.text, '{"message": "Internal server error"}');
  });
});
