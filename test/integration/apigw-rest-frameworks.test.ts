import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { apiGatewayClient, deploy, httpCall, proxyApi } from '../helpers/execute-api.js';
import { ensureFixtureInstalled } from '../helpers/fixture-install.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('REST APIs run framework handlers unchanged: serverless-express (Express) and Middy', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;
  let port: string;
  let expressApi: string;
  let middyApi: string;

  before(async () => {
    await Promise.all([
      ensureFixtureInstalled('apigw-express', { requiredFiles: ['node_modules/@codegenie/serverless-express/package.json', 'node_modules/express/package.json'] }),
      ensureFixtureInstalled('apigw-middy', { requiredFiles: ['node_modules/@middy/core/package.json', 'node_modules/@middy/http-json-body-parser/package.json'] }),
    ]);
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
    port = new URL(t.platform.url).port;
    await createFunction(t.lambda, 'express-app', 'apigw-express');
    await createFunction(t.lambda, 'middy-app', 'apigw-middy', { Handler: 'index.handler' });
    expressApi = (await proxyApi(client, 'express-app', { name: 'express' })).id;
    middyApi = (await proxyApi(client, 'middy-app', { name: 'middy' })).id;
    await deploy(client, expressApi, 'v1');
    await deploy(client, middyApi, 'v1');
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('Express routes, params, query, JSON bodies, status codes and cookies come through serverless-express', async () => {
    const host = `${expressApi}.execute-api.us-east-1.localhost:${port}`;
    const get = await httpCall(t.platform.url, '/v1/pets/7?sort=asc', { host });
    assert.equal(get.status, 200);
    assert.equal(get.headers['x-powered-by-test'], 'express');
    assert.deepEqual(get.json(), { id: '7', query: { sort: 'asc' }, stage: 'v1' });
    const post = await httpCall(t.platform.url, '/v1/pets', { host, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"rex"}' });
    assert.equal(post.status, 201);
    assert.deepEqual(post.json(), { created: { name: 'rex' } });
    const cookies = await httpCall(t.platform.url, `/_aws/execute-api/${expressApi}/v1/cookies`);
    assert.equal(cookies.status, 200);
    assert.deepEqual((cookies.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]), ['a=1', 'b=2']);
    const gone = await httpCall(t.platform.url, `/_aws/execute-api/${expressApi}/v1/pets/0`, { method: 'DELETE' });
    assert.equal(gone.status, 410);
    assert.deepEqual(gone.json(), { gone: '0' });
  });

  it("Middy's JSON body parser and error handler see API Gateway's event as they expect", async () => {
    const ok = await httpCall(t.platform.url, `/_aws/execute-api/${middyApi}/v1/items/9`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"a":1}' });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.json(), { got: { a: 1 } });
    const failed = await httpCall(t.platform.url, `/restapis/${middyApi}/v1/_user_request_/items`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"fail":true}' });
    assert.equal(failed.status, 422);
    assert.equal(failed.text, 'asked to fail');
    const unparsable = await httpCall(t.platform.url, `/_aws/execute-api/${middyApi}/v1/items`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{not json' });
    assert.equal(unparsable.status, 415, "the parser's own answer to a body it cannot read");
  });
});
