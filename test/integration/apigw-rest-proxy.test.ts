import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateResourceCommand, DeleteMethodCommand, PutIntegrationCommand, PutMethodCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { apiGatewayClient, deploy, httpCall, lambdaUri, proxyApi } from '../helpers/execute-api.js';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

type Event = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('REST APIs: Lambda proxy integrations over real HTTP', () => {
  let t: TestPlatform;
  let client: APIGatewayClient;
  let api: { id: string; rootId: string; proxyId: string };
  let port: string;

  before(async () => {
    t = await startTestPlatform();
    client = apiGatewayClient(t.platform.url);
    port = new URL(t.platform.url).port;
    await createFunction(t.lambda, 'proxy', 'apigw-proxy');
    api = await proxyApi(client, 'proxy', { binaryMediaTypes: ['image/png'] });
    // Only /slow has a short integration timeout: a cold start elsewhere must not time out.
    const slow = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootId, pathPart: 'slow' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: slow.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(
      new PutIntegrationCommand({ restApiId: api.id, resourceId: slow.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri('proxy'), timeoutInMillis: 50 }),
    );
    await deploy(client, api.id, 'prod', { color: 'blue' });
  });
  after(async () => {
    client?.destroy();
    await t?.stop();
  });

  it('builds the proxy event as API Gateway does, and maps the answer back (host-based)', async () => {
    const res = await httpCall(t.platform.url, '/prod/pets/1?a=1&a=2&b=x', {
      host: `${api.id}.execute-api.localhost:${port}`,
      headers: { 'X-Multi': ['one', 'two'] as unknown as string, 'User-Agent': 'selfless-test' },
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-custom'], 'single');
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.ok(res.headers['x-amz-apigw-id'], 'x-amz-apigw-id');
    const event = res.json() as Event;
    assert.equal(event['resource'], '/{proxy+}');
    assert.equal(event['path'], '/pets/1');
    assert.equal(event['httpMethod'], 'GET');
    assert.equal(event['headers']['X-Multi'], 'two', 'the single-value map holds the last value');
    assert.deepEqual(event['multiValueHeaders']['X-Multi'], ['one', 'two']);
    assert.equal(event['headers']['Host'], `${api.id}.execute-api.localhost:${port}`);
    assert.deepEqual(event['queryStringParameters'], { a: '2', b: 'x' });
    assert.deepEqual(event['multiValueQueryStringParameters'], { a: ['1', '2'], b: ['x'] });
    assert.deepEqual(event['pathParameters'], { proxy: 'pets/1' });
    assert.deepEqual(event['stageVariables'], { color: 'blue' });
    assert.equal(event['body'], null);
    assert.equal(event['isBase64Encoded'], false);
    const ctx = event['requestContext'];
    assert.equal(ctx.resourcePath, '/{proxy+}');
    assert.equal(ctx.resourceId, api.proxyId);
    assert.equal(ctx.stage, 'prod');
    assert.equal(ctx.path, '/prod/pets/1');
    assert.equal(ctx.apiId, api.id);
    assert.equal(ctx.accountId, '000000000000');
    assert.equal(ctx.requestId, res.headers['x-amzn-requestid']);
    assert.equal(ctx.extendedRequestId, res.headers['x-amz-apigw-id']);
    assert.equal(ctx.identity.sourceIp, '127.0.0.1');
    assert.equal(ctx.identity.userAgent, 'selfless-test');
    assert.match(ctx.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(typeof ctx.requestTimeEpoch, 'number');
  });

  it('reaches the same stage path-based: /_aws/execute-api/<id>/ and the legacy /restapis/<id>/<stage>/_user_request_/', async () => {
    for (const path of [`/_aws/execute-api/${api.id}/prod/pets/2`, `/restapis/${api.id}/prod/_user_request_/pets/2`]) {
      const res = await httpCall(t.platform.url, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"rex"}' });
      assert.equal(res.status, 201, path);
      const event = res.json() as Event;
      assert.equal(event['path'], '/pets/2', path);
      assert.equal(event['httpMethod'], 'POST');
      assert.equal(event['body'], '{"name":"rex"}');
      assert.equal(event['requestContext'].stage, 'prod');
    }
    const root = (await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/prod/`)).json() as Event;
    assert.equal(root['resource'], '/');
    assert.equal(root['pathParameters'], null);
  });

  it('sends binary media types base64, and decodes a base64 answer for a client that accepts it', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);
    const up = (await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/prod/upload`, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: png })).json() as Event;
    assert.equal(up['isBase64Encoded'], true);
    assert.equal(up['body'], png.toString('base64'));
    const down = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/prod/binary`, { headers: { accept: 'image/png' } });
    assert.equal(down.status, 200);
    assert.equal(down.headers['content-type'], 'image/png');
    assert.deepEqual(down.body, png);
  });

  it('answers API Gateway error shapes: malformed result and function error 502, timeout 504, unknown route 403, big payload 413', async () => {
    const base = `/_aws/execute-api/${api.id}/prod`;
    for (const path of ['/malformed', '/extra-key', '/throw']) {
      const res = await httpCall(t.platform.url, `${base}${path}`);
      assert.equal(res.status, 502, path);
      assert.equal(res.text, '{"message": "Internal server error"}', path);
      assert.ok(res.headers['x-amzn-requestid'] && res.headers['x-amz-apigw-id'], path);
      assert.doesNotMatch(res.text, /at .*\.js/, 'no stack trace');
    }
    const slow = await httpCall(t.platform.url, `${base}/slow`);
    assert.equal(slow.status, 504);
    assert.equal(slow.text, '{"message": "Endpoint request timed out"}');
    const big = await httpCall(t.platform.url, `${base}/pets`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(10 * 1024 * 1024 + 1, 97) });
    assert.equal(big.status, 413);
    assert.deepEqual(big.json(), { message: 'Request Too Long' });
    const stage = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/nostage/pets`);
    assert.equal(stage.status, 403);
    assert.deepEqual(stage.json(), { message: 'Forbidden' });
    const none = await httpCall(t.platform.url, `/_aws/execute-api/zzzzzzzzzz/prod/pets`);
    assert.equal(none.status, 404, 'an id that is no API');
  });

  it('serves what was deployed, not the API as edited since, until the next deployment', async () => {
    await client.send(new DeleteMethodCommand({ restApiId: api.id, resourceId: api.proxyId, httpMethod: 'ANY' }));
    const before = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/prod/pets/3`);
    assert.equal(before.status, 201, 'the deployment still has the method');
    await deploy(client, api.id, 'prod');
    const afterDeploy = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/prod/pets/3`);
    assert.equal(afterDeploy.status, 403);
    assert.deepEqual(afterDeploy.json(), { message: 'Missing Authentication Token' });
    assert.equal(afterDeploy.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    const root = await httpCall(t.platform.url, `/_aws/execute-api/${api.id}/prod/`);
    assert.equal(root.status, 201, 'the root method is still there');
  });
});
