import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

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
    assert.match(url, new RegExp(`^${t.platform.url}/lambda-url/[0-9a-f]{32}/$`));
    const got = await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' }));
    assert.equal(got.FunctionUrl, url);
    assert.equal(got.AuthType, 'NONE');
    assert.equal(got.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:web');
    const again = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'NONE' })).catch((e: Error) => e);
    assert.equal((again as Error).name, 'ResourceConflictException');
  });

  it('turns HTTP requests into payload format 2.0 events and the answers into responses', async () => {
    const res = await fetch(`${url}items?color=red`, { method: 'POST', body: JSON.stringify({ n: 1 }), headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-answer'), 'yes');
    assert.deepEqual(await res.json(), { method: 'POST', path: '/items', query: { color: 'red' }, body: '{"n":1}', base64: false, version: '2.0' });

    const plain = await fetch(`${url}plain`);
    assert.equal(plain.status, 200);
    assert.deepEqual(await plain.json(), { hello: 'world' });

    const failed = await fetch(`${url}fail`);
    assert.equal(failed.status, 502);
  });

  it('requires a signature with AWS_IAM, and stops serving when deleted', async () => {
    await t.lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'web', AuthType: 'AWS_IAM' }));
    assert.equal((await fetch(`${url}plain`)).status, 403);
    await t.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'web' }));
    assert.equal((await fetch(`${url}plain`)).status, 404);
    const gone = await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web' })).catch((e: Error) => e);
    assert.equal((gone as Error).name, 'ResourceNotFoundException');
  });
});
