import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ApiGatewayV2Client, CreateApiCommand, GetApiCommand } from '@aws-sdk/client-apigatewayv2';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { doorFetch } from '../helpers/front-door-http.js';

describe('function URLs', () => {
  let t: TestPlatform;
  let url = '';
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'web', 'http');
    const created = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
    url = created.FunctionUrl!;
  });
  after(() => t.stop());

  it('creates and reads the URL config as Lambda does', async () => {
    // Named as on AWS, under localhost (which browsers and curl resolve to loopback).
    assert.match(url, new RegExp(`^http://[0-9a-f]{32}\\.lambda-url\\.us-east-1\\.localhost:${t.platform.port}/$`));
    const got = await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    assert.equal(got.FunctionUrl, url);
    assert.equal(got.AuthType, 'NONE');
    assert.equal(got.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:web');
    const again = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' })).catch((e: Error) => e);
    assert.equal((again as Error).name, 'ResourceConflictException');
  });

  it('turns HTTP requests into payload format 2.0 events and the answers into responses', async () => {
    const res = await doorFetch(`${url}items?color=red`, { method: 'POST', body: JSON.stringify({ n: 1 }), headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-answer'), 'yes');
    assert.deepEqual(await res.json(), { method: 'POST', path: '/items', query: { color: 'red' }, body: '{"n":1}', base64: false, version: '2.0' });

    const plain = await doorFetch(`${url}plain`);
    assert.equal(plain.status, 200);
    assert.deepEqual(await plain.json(), { hello: 'world' });

    const failed = await doorFetch(`${url}fail`);
    assert.equal(failed.status, 502);
  });

  it('serves path-based too, and a relative redirect stays inside the app on the host-based URL', async () => {
    const id = new URL(url).hostname.split('.')[0]!;
    const byPath = await fetch(`${t.platform.url}/lambda-url/${id}/items?color=blue`, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } });
    assert.equal(byPath.status, 201);
    assert.deepEqual(await byPath.json(), { method: 'PUT', path: '/items', query: { color: 'blue' }, body: 'x', base64: false, version: '2.0' });
    const redirect = await doorFetch(`${url}redirect`);
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get('location')!, url);
    assert.equal(location.href, `${url}hello`);
    const followed = await doorFetch(location.href);
    assert.equal(followed.status, 201);
    assert.equal(((await followed.json()) as { path: string }).path, '/hello');
  });

  it('requires a signature with AWS_IAM, and stops serving when deleted', async () => {
    await t.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
    assert.equal((await doorFetch(`${url}plain`)).status, 403);
    await t.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web' }));
    assert.equal((await doorFetch(`${url}plain`)).status, 404);
    const gone = await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' })).catch((e: Error) => e);
    assert.equal((gone as Error).name, 'ResourceNotFoundException');
  });

  it("gives an alias its own URL, which runs the version the alias routes to, and goes with the alias", async () => {
    await createFunction(t.lambda, 'web-aliased', 'http');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'web-aliased' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'web-aliased', Name: 'live', FunctionVersion: '1' }));
    const plain = (await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-aliased', AuthType: 'NONE' }))).FunctionUrl!;
    const live = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-aliased', Qualifier: 'live', AuthType: 'NONE' }));
    assert.equal(live.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:web-aliased:live');
    assert.notEqual(live.FunctionUrl, plain);
    assert.deepEqual(await (await doorFetch(`${live.FunctionUrl}version`)).json(), { functionVersion: '1' });
    assert.deepEqual(await (await doorFetch(`${plain}version`)).json(), { functionVersion: '$LATEST' });
    const listed = await t.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'web-aliased' }));
    assert.deepEqual(listed.FunctionUrlConfigs?.map((c) => c.FunctionArn), [
      'arn:aws:lambda:us-east-1:000000000000:function:web-aliased',
      'arn:aws:lambda:us-east-1:000000000000:function:web-aliased:live',
    ]);

    const version = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-aliased', Qualifier: '1', AuthType: 'NONE' })).catch((e: Error) => e);
    assert.equal((version as Error).name, 'ValidationException');
    const missing = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-aliased', Qualifier: 'nope', AuthType: 'NONE' })).catch((e: Error) => e);
    assert.equal((missing as Error).name, 'ResourceNotFoundException');

    await t.lambda.send(new DeleteAliasCommand({ FunctionName: 'web-aliased', Name: 'live' }));
    assert.equal((await doorFetch(`${live.FunctionUrl}version`)).status, 404);
    assert.equal((await doorFetch(`${plain}version`)).status, 200);
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'web-aliased', Name: 'live', FunctionVersion: '1' }));
    const gone = await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web-aliased', Qualifier: 'live' })).catch((e: Error) => e);
    assert.equal((gone as Error).name, 'ResourceNotFoundException');
  });
});

describe('--public-url', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform({ publicUrl: 'http://selfless.test:8080/' });
  });
  after(() => t.stop());

  it('names function URLs and queue URLs under the public host, and serves the names it hands out', async () => {
    // Clients here reach the listen address; the public name is what they are handed.
    const direct = { endpoint: `http://127.0.0.1:${t.platform.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const lambda = new LambdaClient(direct);
    await createFunction(lambda, 'web', 'http');
    const { FunctionUrl } = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' }));
    lambda.destroy();
    assert.match(FunctionUrl!, /^http:\/\/[0-9a-f]{32}\.lambda-url\.us-east-1\.selfless\.test:8080\/$/);
    assert.equal(t.platform.url, 'http://selfless.test:8080');
    // What a proxy at selfless.test:8080 would pass on: the public name in the Host header.
    const res = await doorFetch(`http://127.0.0.1:${t.platform.port}/plain`, { headers: { host: new URL(FunctionUrl!).host } });
    assert.deepEqual(await res.json(), { hello: 'world' });
    const sqs = new SQSClient(direct);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    sqs.destroy();
    assert.equal(QueueUrl, 'http://selfless.test:8080/000000000000/jobs');
  });

  it('names HTTP and WebSocket API endpoints under the public host, and serves the HTTP API by that name', async () => {
    const direct = { endpoint: `http://127.0.0.1:${t.platform.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const apigw = new ApiGatewayV2Client(direct);
    try {
      const http = await apigw.send(new CreateApiCommand({ Name: 'public', ProtocolType: 'HTTP', Target: 'arn:aws:lambda:us-east-1:000000000000:function:web' }));
      assert.equal(http.ApiEndpoint, `http://${http.ApiId}.execute-api.selfless.test:8080`);
      assert.equal((await apigw.send(new GetApiCommand({ ApiId: http.ApiId }))).ApiEndpoint, http.ApiEndpoint);
      const ws = await apigw.send(new CreateApiCommand({ Name: 'public-ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' }));
      assert.equal(ws.ApiEndpoint, `ws://${ws.ApiId}.execute-api.selfless.test:8080`);
      // What a proxy at selfless.test:8080 would pass on: the public name in the Host header.
      const res = await doorFetch(`http://127.0.0.1:${t.platform.port}/plain`, { headers: { host: new URL(http.ApiEndpoint!).host } });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { hello: 'world' });
      assert.ok(res.headers.get('apigw-requestid'));
    } finally {
      apigw.destroy();
    }
  });
});
