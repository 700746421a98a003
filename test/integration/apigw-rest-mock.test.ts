import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { apiGatewayClient, deploy, httpCall } from '../helpers/execute-api.js';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('REST APIs: MOCK integrations and resource matching', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;
  let apiId: string;
  const call = (path: string, method = 'GET') => httpCall(t.platform.url, `/_aws/execute-api/${apiId}/test${path}`, { method });

  /** A MOCK method whose request template yields `statusCode`, with integration responses by selection pattern. */
  async function mock(resourceId: string, httpMethod: string, statusTemplate: string, responses: { status: string; pattern?: string; body: string; header?: string }[]) {
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': statusTemplate } }));
    for (const r of responses) {
      await client.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod, statusCode: r.status, ...(r.header ? { responseParameters: { [`method.response.header.${r.header}`]: false } } : {}) }));
      await client.send(
        new PutIntegrationResponseCommand({
          restApiId: apiId,
          resourceId,
          httpMethod,
          statusCode: r.status,
          ...(r.pattern !== undefined ? { selectionPattern: r.pattern } : {}),
          responseTemplates: { 'application/json': r.body },
          ...(r.header ? { responseParameters: { [`method.response.header.${r.header}`]: "'yes'" } } : {}),
        }),
      );
    }
  }

  before(async () => {
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
    const api = await client.send(new CreateRestApiCommand({ name: 'mocks' }));
    apiId = api.id!;
    const add = async (parentId: string, pathPart: string) => (await client.send(new CreateResourceCommand({ restApiId: apiId, parentId, pathPart }))).id!;
    const pets = await add(api.rootResourceId!, 'pets');
    const pet = await add(pets, '{id}');
    const mine = await add(pets, 'mine');
    const files = await add(api.rootResourceId!, 'files');
    const anyFile = await add(files, '{path+}');
    await mock(pets, 'GET', '{"statusCode": 200}', [{ status: '200', body: '{"pets": [], "stage": "$context.stage", "requestId": "$context.requestId"}', header: 'X-Mock' }]);
    await mock(pet, 'GET', "{\"statusCode\": $input.params('id')}", [
      { status: '200', body: "{\"id\": \"$input.params('id')\"}" },
      { status: '404', pattern: '4\\d{2}', body: "{\"error\": \"no pet $input.params('id')\"}" },
    ]);
    await mock(mine, 'GET', '{"statusCode": 200}', [{ status: '200', body: '{"mine": true}' }]);
    // The Serverless Framework's CORS preflight: an unquoted key, which API Gateway accepts.
    await mock(mine, 'OPTIONS', '{statusCode:200}', [{ status: '200', body: '', header: 'Access-Control-Allow-Origin' }]);
    await mock(anyFile, 'ANY', '{"statusCode": 200}', [{ status: '200', body: '{"method": "$context.httpMethod", "flavour": "$stageVariables.flavour"}' }]);
    await deploy(client, apiId, 'test', { flavour: 'lemon' });
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('answers from the default integration response, its template rendered and its header literal set', async () => {
    const res = await call('/pets');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-mock'], 'yes');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), { pets: [], stage: 'test', requestId: res.headers['x-amzn-requestid'] });
  });

  it('reads the status from a request template with an unquoted key, as API Gateway does', async () => {
    const res = await call('/pets/mine', 'OPTIONS');
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'yes');
    assert.equal(res.text, '');
  });

  it("picks the integration response whose selectionPattern matches the request template's status", async () => {
    const found = await call('/pets/200');
    assert.equal(found.status, 200);
    assert.deepEqual(found.json(), { id: '200' });
    const missing = await call('/pets/404');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json(), { error: 'no pet 404' });
  });

  it('matches literal parts before {param}, {proxy+} over several parts, ANY for every method', async () => {
    assert.deepEqual((await call('/pets/mine')).json(), { mine: true });
    for (const method of ['GET', 'DELETE', 'PATCH']) {
      const res = await call('/files/a/b/c.txt', method);
      assert.equal(res.status, 200, method);
      assert.deepEqual(res.json(), { method, flavour: 'lemon' });
    }
    const noMethod = await call('/pets', 'POST');
    assert.equal(noMethod.status, 403);
    assert.deepEqual(noMethod.json(), { message: 'Missing Authentication Token' });
    const greedyNeedsAPart = await call('/files');
    assert.equal(greedyNeedsAPart.status, 403, '{path+} takes at least one part');
    const unknown = await call('/nowhere/at/all');
    assert.deepEqual(unknown.json(), { message: 'Missing Authentication Token' });
  });

  it('keeps APIs, deployments and stages across a restart', async () => {
    const dataDir = t.dataDir;
    client.destroy();
    await t.stop(false);
    t = await startTestPlatform({}, dataDir);
    client = apiGatewayClient(t.platform.url);
    const res = await call('/pets/404');
    assert.equal(res.status, 404);
    assert.deepEqual(res.json(), { error: 'no pet 404' });
  });
});
