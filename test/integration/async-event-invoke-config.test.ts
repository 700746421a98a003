import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
  type LambdaServiceException,
} from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createFunction, fixtureZip, ROLE, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { failure, sqsClient } from '../helpers/sqs.js';
import { createQueue } from './async-helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('EventInvokeConfig API (PUT/GET/POST/DELETE /2019-09-25/functions/{name}/event-invoke-config)', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  let queueArn: string;
  before(async () => {
    t = await startTestPlatform({ asyncRetryScale: 0.01 });
    sqs = sqsClient(t.platform.url);
    queueArn = (await createQueue(sqs, 'eic-destination')).arn;
    await createFunction(t.lambda, 'eic', 'echo');
    await createFunction(t.lambda, 'eic-target', 'echo');
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  const awsError = (p: Promise<unknown>) => failure(p) as Promise<LambdaServiceException>;

  it('puts, gets, updates, lists and deletes a config', async () => {
    const before = Math.floor(Date.now() / 1000) - 1;
    const put = await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'eic',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: queueArn } },
      }),
    );
    assert.equal(put.FunctionArn, `${ARN}:eic:$LATEST`);
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.equal(put.MaximumEventAgeInSeconds, undefined);
    assert.equal(put.DestinationConfig?.OnFailure?.Destination, queueArn);
    assert.ok(put.LastModified instanceof Date && put.LastModified.getTime() / 1000 >= before);

    const got = await t.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic' }));
    assert.equal(got.MaximumRetryAttempts, 1);
    assert.equal(got.DestinationConfig?.OnFailure?.Destination, queueArn);

    // Update changes only what it names; Put replaces the whole config.
    const updated = await t.lambda.send(
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumEventAgeInSeconds: 120, DestinationConfig: { OnSuccess: { Destination: `${ARN}:eic-target` } } }),
    );
    assert.equal(updated.MaximumRetryAttempts, 1);
    assert.equal(updated.MaximumEventAgeInSeconds, 120);
    assert.equal(updated.DestinationConfig?.OnSuccess?.Destination, `${ARN}:eic-target`);
    assert.equal(updated.DestinationConfig?.OnFailure?.Destination, undefined);

    const listed = await t.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic' }));
    assert.equal(listed.FunctionEventInvokeConfigs?.length, 1);
    assert.equal(listed.FunctionEventInvokeConfigs?.[0]?.FunctionArn, `${ARN}:eic:$LATEST`);

    const replaced = await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: `${ARN}:eic`, Qualifier: '$LATEST', MaximumEventAgeInSeconds: 60 }));
    assert.equal(replaced.MaximumRetryAttempts, undefined);
    assert.equal(replaced.MaximumEventAgeInSeconds, 60);

    await t.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'eic' }));
    const gone = await awsError(t.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.$metadata.httpStatusCode, 404);
    assert.equal(gone.message, `The function ${ARN}:eic:$LATEST doesn't have an EventInvokeConfig`);
    const listedEmpty = await t.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic' }));
    assert.deepEqual(listedEmpty.FunctionEventInvokeConfigs, []);
  });

  it('ResourceNotFoundException for a missing config (Get, Update, Delete) or function', async () => {
    for (const cmd of [
      new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-target' }),
      new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'eic-target', MaximumRetryAttempts: 0 }),
      new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'eic-target' }),
    ]) {
      const err = await awsError(t.lambda.send(cmd as never));
      assert.equal(err.name, 'ResourceNotFoundException');
    }
    const noFunction = await awsError(t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'no-such-fn', MaximumRetryAttempts: 0 })));
    assert.equal(noFunction.name, 'ResourceNotFoundException');
    assert.match(noFunction.message, /Function not found/);
  });

  it('ValidationException for values outside the model ranges', async () => {
    const retries = await awsError(t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumRetryAttempts: 3 })));
    assert.equal(retries.name, 'ValidationException');
    assert.match(retries.message, /maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2/);
    const age = await awsError(t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumEventAgeInSeconds: 59 })));
    assert.equal(age.name, 'ValidationException');
    assert.match(age.message, /greater than or equal to 60/);
    const tooOld = await awsError(t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', MaximumEventAgeInSeconds: 21_601 })));
    assert.equal(tooOld.name, 'ValidationException');
  });

  it('InvalidParameterValueException for destinations it cannot deliver to, or an empty config', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sns:us-east-1:000000000000:topic' } } }, /not supported/],
      [{ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue' } } }, /does not exist/],
      [{ DestinationConfig: { OnFailure: { Destination: `${ARN}:no-such-function` } } }, /does not exist/],
      [{ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:eu-west-1:000000000000:elsewhere' } } }, /not in this account and region/],
      [{}, /at least one of error handling or destination setting/],
    ];
    for (const [extra, message] of cases) {
      const err = await awsError(t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic', ...extra })));
      assert.equal(err.name, 'InvalidParameterValueException', JSON.stringify(extra));
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, message);
    }
  });

  it('keeps one config per qualifier ($LATEST, a version, an alias), each of which must exist', async () => {
    await createFunction(t.lambda, 'eic-qualified', 'echo');
    for (const Qualifier of ['1', 'live']) {
      const err = await awsError(t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-qualified', Qualifier, MaximumRetryAttempts: 0 })));
      assert.equal(err.name, 'ResourceNotFoundException', Qualifier);
      assert.equal(err.$metadata.httpStatusCode, 404);
    }
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'eic-qualified' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'eic-qualified', Name: 'live', FunctionVersion: '1' }));
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-qualified', MaximumRetryAttempts: 2 }));
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-qualified', Qualifier: '1', MaximumRetryAttempts: 1 }));
    const aliased = await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: `${ARN}:eic-qualified:live`, MaximumRetryAttempts: 0 }));
    assert.equal(aliased.FunctionArn, `${ARN}:eic-qualified:live`);
    const got = await t.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-qualified', Qualifier: '1' }));
    assert.equal(got.MaximumRetryAttempts, 1);
    assert.equal(got.FunctionArn, `${ARN}:eic-qualified:1`);
    const listed = await t.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'eic-qualified' }));
    assert.deepEqual(
      listed.FunctionEventInvokeConfigs?.map((c) => [c.FunctionArn, c.MaximumRetryAttempts]).sort(),
      [
        [`${ARN}:eic-qualified:$LATEST`, 2],
        [`${ARN}:eic-qualified:1`, 1],
        [`${ARN}:eic-qualified:live`, 0],
      ].sort(),
    );
  });

  it('deletes the config with its function', async () => {
    await createFunction(t.lambda, 'eic-deleted', 'echo');
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'eic-deleted', MaximumRetryAttempts: 0 }));
    await t.lambda.send(new DeleteFunctionCommand({ FunctionName: 'eic-deleted' }));
    await createFunction(t.lambda, 'eic-deleted', 'echo');
    const err = await awsError(t.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'eic-deleted' })));
    assert.equal(err.name, 'ResourceNotFoundException');
  });

  it('DeadLetterConfig accepts only SQS queue ARNs', async () => {
    const err = await awsError(
      t.lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'eic-dlq-sns',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: await fixtureZip('echo') },
          DeadLetterConfig: { TargetArn: 'arn:aws:sns:us-east-1:000000000000:topic' },
        }),
      ),
    );
    assert.equal(err.name, 'InvalidParameterValueException');
    assert.match(err.message, /SQS queues/);
  });
});
