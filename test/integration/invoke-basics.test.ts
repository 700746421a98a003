import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('create and invoke a Node.js function through the AWS SDK', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'echo', 'echo', { Environment: { Variables: { MY_SETTING: 'on' } }, MemorySize: 256, Timeout: 7 });
  });
  after(() => t.stop());

  it('reports the function as Active with its code hash and size', async () => {
    const fn = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'echo' }));
    assert.equal(fn.Configuration?.State, 'Active');
    assert.equal(fn.Configuration?.LastUpdateStatus, 'Successful');
    assert.equal(fn.Configuration?.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:echo');
    assert.match(fn.Configuration?.CodeSha256 ?? '', /^[A-Za-z0-9+/]{43}=$/);
    assert.ok((fn.Configuration?.CodeSize ?? 0) > 0);
  });

  it('runs the handler with the event, the context and the standard environment', async () => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"a":1}') }));
    assert.equal(res.StatusCode, 200);
    assert.equal(res.FunctionError, undefined);
    assert.equal(res.ExecutedVersion, '$LATEST');
    const body = decode(res.Payload) as {
      event: unknown;
      context: Record<string, unknown>;
      env: Record<string, string>;
      cwd: string;
    };
    assert.deepEqual(body.event, { a: 1 });
    assert.equal(res.$metadata.requestId, body.context['awsRequestId'], 'the API request id is the invocation request id');
    assert.equal(body.context['functionName'], 'echo');
    assert.equal(body.context['functionVersion'], '$LATEST');
    assert.equal(body.context['invokedFunctionArn'], 'arn:aws:lambda:us-east-1:000000000000:function:echo');
    assert.equal(body.context['memoryLimitInMB'], '256');
    assert.equal(body.context['logGroupName'], '/aws/lambda/echo');
    assert.match(String(body.context['logStreamName']), /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.match(String(body.context['awsRequestId']), /^[0-9a-f-]{36}$/);
    const remaining = Number(body.context['remaining']);
    assert.ok(remaining > 0 && remaining <= 7000, `remaining time ${remaining}`);
    assert.equal(body.env['AWS_LAMBDA_FUNCTION_NAME'], 'echo');
    assert.equal(body.env['AWS_LAMBDA_FUNCTION_MEMORY_SIZE'], '256');
    assert.equal(body.env['AWS_LAMBDA_FUNCTION_VERSION'], '$LATEST');
    assert.equal(body.env['AWS_REGION'], 'us-east-1');
    assert.equal(body.env['_HANDLER'], 'index.handler');
    assert.equal(body.env['TZ'], ':UTC');
    assert.equal(body.env['MY_SETTING'], 'on');
    assert.equal(body.env['LAMBDA_TASK_ROOT'], body.cwd);
    assert.match(body.env['AWS_LAMBDA_RUNTIME_API'] ?? '', /^127\.0\.0\.1:\d+$/);
    assert.equal(body.env['AWS_ENDPOINT_URL'], t.platform.url);
    assert.ok(body.env['AWS_ACCESS_KEY_ID'] && body.env['AWS_SECRET_ACCESS_KEY'] && body.env['AWS_SESSION_TOKEN']);
  });
});
