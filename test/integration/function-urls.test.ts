import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteAliasCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
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

  it("gives an alias its own URL, which runs the version the alias routes to, and goes with the alias", async () => {
    await createFunction(t.lambda, 'web-aliased', 'http');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'web-aliased' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'web-aliased', Name: 'live', FunctionVersion: '1' }));
    const plain = (await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-aliased', AuthType: 'NONE' }))).FunctionUrl!;
    const live = await t.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'web-aliased', Qualifier: 'live', AuthType: 'NONE' }));
    assert.equal(live.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:web-aliased:live');
    assert.notEqual(live.FunctionUrl, plain);
    assert.deepEqual(await (await fetch(`${live.FunctionUrl}version`)).json(), { functionVersion: '1' });
    assert.deepEqual(await (await fetch(`${plain}version`)).json(), { functionVersion: '$LATEST' });
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
    assert.equal((await fetch(`${live.FunctionUrl}version`)).status, 404);
    assert.equal((await fetch(`${plain}version`)).status, 200);
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'web-aliased', Name: 'live', FunctionVersion: '1' }));
    const gone = await t.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'web-aliased', Qualifier: 'live' })).catch((e: Error) => e);
    assert.equal((gone as Error).name, 'ResourceNotFoundException');
  });
});
