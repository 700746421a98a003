import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { ROLE, createFunction, fixtureZip, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** Runs `fn`, expecting an AWS error; returns it for the caller's assertions. */
async function awsError(fn: () => Promise<unknown>): Promise<LambdaServiceException> {
  try {
    await fn();
  } catch (err) {
    return err as LambdaServiceException;
  }
  assert.fail('expected an AWS error');
}

describe('errors as AWS returns them', () => {
  let t: TestPlatform;
  before(async () => {
    t = await startTestPlatform();
    await createFunction(t.lambda, 'target', 'actions');
  });
  after(() => t.stop());

  const create = async (overrides: Record<string, unknown>) =>
    t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'new-fn',
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { ZipFile: await fixtureZip('echo') },
        ...overrides,
      } as never),
    );

  it('ResourceNotFoundException 404 for an unknown function', async () => {
    const err = await awsError(() => t.lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    assert.equal(err.name, 'ResourceNotFoundException');
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.equal(err.message, 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
    const inv = await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'nope' })));
    assert.equal(inv.name, 'ResourceNotFoundException');
    const version = await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'target', Qualifier: '7' })));
    assert.equal(version.name, 'ResourceNotFoundException');
  });

  it('ResourceConflictException 409 when the function exists', async () => {
    const err = await awsError(() => create({ FunctionName: 'target' }));
    assert.equal(err.name, 'ResourceConflictException');
    assert.equal(err.$metadata.httpStatusCode, 409);
  });

  it('InvalidParameterValueException 400 for values Lambda refuses', async () => {
    const cases: Record<string, unknown>[] = [
      { Timeout: 901 },
      { MemorySize: 10241 },
      { Runtime: 'java8' },
      { Environment: { Variables: { AWS_REGION: 'eu-west-1' } } },
      { Environment: { Variables: { BIG: 'x'.repeat(4100) } } },
      { Code: { ZipFile: Buffer.from('this is not a zip') } },
    ];
    for (const c of cases) {
      const err = await awsError(() => create(c));
      assert.equal(err.name, 'InvalidParameterValueException', JSON.stringify(c).slice(0, 80));
      assert.equal(err.$metadata.httpStatusCode, 400);
    }
    const upd = await awsError(() => t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'target', Timeout: 1000 })));
    assert.equal(upd.name, 'InvalidParameterValueException');
  });

  it("ValidationException 400 for values outside the service model's constraints", async () => {
    const memory = await awsError(() => create({ MemorySize: 64 }));
    assert.equal(memory.name, 'ValidationException');
    assert.equal(memory.$metadata.httpStatusCode, 400);
    assert.match(memory.message, /Value '64' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128/);
    const name = await awsError(() => create({ FunctionName: 'bad name!' }));
    assert.equal(name.name, 'ValidationException');
    const timeout = await awsError(() => create({ Timeout: 0 }));
    assert.equal(timeout.name, 'ValidationException');
  });

  it('InvalidRequestContentException 400 for a payload that is not JSON', async () => {
    const err = await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'target', Payload: Buffer.from('{not json') })));
    assert.equal(err.name, 'InvalidRequestContentException');
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.message, /^Could not parse request body into json/);
  });

  it('RequestEntityTooLargeException 413 for a synchronous payload over 6 MB', async () => {
    const payload = Buffer.from(JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) }));
    const err = await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'target', Payload: payload })));
    assert.equal(err.name, 'RequestEntityTooLargeException');
    assert.equal(err.$metadata.httpStatusCode, 413);
  });

  it('TooManyRequestsException 429 with a Reason when reserved concurrency is 0', async () => {
    await createFunction(t.lambda, 'throttled', 'actions');
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled', ReservedConcurrentExecutions: 0 }));
    const err = (await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'throttled' })))) as LambdaServiceException & {
      Reason?: string;
    };
    assert.equal(err.name, 'TooManyRequestsException');
    assert.equal(err.$metadata.httpStatusCode, 429);
    assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(err.message, 'Rate Exceeded.');
  });
});

describe('ServiceException 500 when the server cannot do its part', () => {
  it('reports a lost code package as ServiceException, never a stack trace', async () => {
    const first = await startTestPlatform();
    await createFunction(first.lambda, 'lost', 'echo');
    await first.stop(false);
    const { rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    rmSync(join(first.dataDir, 'code'), { recursive: true, force: true });
    const t = await startTestPlatform({}, first.dataDir);
    try {
      const err = await awsError(() => t.lambda.send(new InvokeCommand({ FunctionName: 'lost' })));
      assert.equal(err.name, 'ServiceException');
      assert.equal(err.$metadata.httpStatusCode, 500);
      assert.doesNotMatch(err.message, /\bat \S+:\d+/);
    } finally {
      await t.stop();
    }
  });
});
