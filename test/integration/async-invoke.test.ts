import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';
import { createQueue, json, receiveNow, receiveOne, recordOf, startsOf } from './async-helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function';

describe('asynchronous invocation: retries, destinations and dead-letter queues', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  before(async () => {
    t = await startTestPlatform({ asyncRetryScale: 0.01 });
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  const invokeEvent = async (fn: string, event: unknown) => {
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: json(event) }));
    assert.equal(res.StatusCode, 202);
    return res.$metadata.requestId!;
  };

  it('answers 202 with the request id, runs the event, and sends a Success record to the OnSuccess queue', async () => {
    await createFunction(t.lambda, 'async-ok', 'actions');
    const success = await createQueue(sqs, 'async-ok-success');
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-ok', DestinationConfig: { OnSuccess: { Destination: success.arn } } }),
    );
    const requestId = await invokeEvent('async-ok', { hello: 'world' });

    const record = recordOf(await receiveOne(sqs, success.url));
    assert.equal(record.version, '1.0');
    assert.ok(!Number.isNaN(Date.parse(record.timestamp)));
    assert.deepEqual(record.requestContext, {
      requestId,
      functionArn: `${ARN}:async-ok:$LATEST`,
      condition: 'Success',
      approximateInvokeCount: 1,
    });
    assert.deepEqual(record.requestPayload, { hello: 'world' });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    assert.deepEqual((record.responsePayload as { event: unknown }).event, { hello: 'world' });
  });

  it('runs a failing function 1 + MaximumRetryAttempts times, then sends a RetriesExhausted record', async () => {
    await createFunction(t.lambda, 'async-fails', 'actions');
    const failure = await createQueue(sqs, 'async-fails-failure');
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'async-fails',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: failure.arn } },
      }),
    );
    const requestId = await invokeEvent('async-fails', { action: 'throw', message: 'always broken' });

    const record = recordOf(await receiveOne(sqs, failure.url));
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.equal(record.requestContext.functionArn, `${ARN}:async-fails:$LATEST`);
    assert.deepEqual(record.requestPayload, { action: 'throw', message: 'always broken' });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    const error = record.responsePayload as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'TypeError');
    assert.equal(error.errorMessage, 'always broken');

    // Exactly two runs of the same request id: the first attempt and one retry.
    await waitFor(async () => (await startsOf(t.logs, 'async-fails', requestId)) >= 2, 'two START lines');
    assert.equal(await startsOf(t.logs, 'async-fails', requestId), 2);
    assert.deepEqual(await receiveNow(sqs, failure.url), []);
  });

  it("uses the config of the qualifier an event was invoked with: an alias's, or $LATEST's", async () => {
    await createFunction(t.lambda, 'async-aliased', 'actions');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'async-aliased' }));
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'async-aliased', Name: 'live', FunctionVersion: '1' }));
    const viaAlias = await createQueue(sqs, 'async-aliased-live-failure');
    const viaLatest = await createQueue(sqs, 'async-aliased-latest-failure');
    const configure = (Qualifier: string, destination: string) =>
      t.lambda.send(
        new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-aliased', Qualifier, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: destination } } }),
      );
    await configure('live', viaAlias.arn);
    await configure('$LATEST', viaLatest.arn);

    const aliased = await invokeEvent('async-aliased:live', { action: 'throw', message: 'via the alias' });
    const record = recordOf(await receiveOne(sqs, viaAlias.url));
    assert.equal(record.requestContext.requestId, aliased);
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '1', functionError: 'Unhandled' });

    const unqualified = await invokeEvent('async-aliased', { action: 'throw', message: 'unqualified' });
    const latest = recordOf(await receiveOne(sqs, viaLatest.url));
    assert.equal(latest.requestContext.requestId, unqualified);
    assert.equal(latest.requestContext.functionArn, `${ARN}:async-aliased:$LATEST`);
    assert.deepEqual(await receiveNow(sqs, viaAlias.url), []);
  });

  it('uses the default of 2 retries: 3 runs before the failure record', async () => {
    await createFunction(t.lambda, 'async-default', 'actions');
    const failure = await createQueue(sqs, 'async-default-failure');
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-default', DestinationConfig: { OnFailure: { Destination: failure.arn } } }),
    );
    const requestId = await invokeEvent('async-default', { action: 'throw' });
    const record = recordOf(await receiveOne(sqs, failure.url));
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.approximateInvokeCount, 3);
    await waitFor(async () => (await startsOf(t.logs, 'async-default', requestId)) >= 3, 'three START lines');
    assert.equal(await startsOf(t.logs, 'async-default', requestId), 3);
  });

  it('retries platform errors too: a process that exits counts as a failed attempt (Runtime.ExitError)', async () => {
    await createFunction(t.lambda, 'async-crash', 'actions');
    const failure = await createQueue(sqs, 'async-crash-failure');
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-crash', MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failure.arn } } }),
    );
    await invokeEvent('async-crash', { action: 'exit', code: 7 });
    const record = recordOf(await receiveOne(sqs, failure.url));
    assert.equal(record.requestContext.approximateInvokeCount, 2);
    assert.equal(record.responseContext?.functionError, 'Unhandled');
    assert.equal((record.responsePayload as { errorType: string }).errorType, 'Runtime.ExitError');
  });

  it('sends the record to a function destination as an asynchronous invoke', async () => {
    await createFunction(t.lambda, 'async-source', 'actions');
    await createFunction(t.lambda, 'async-recorder', 'echo');
    const recorded = await createQueue(sqs, 'async-recorder-success');
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-recorder', DestinationConfig: { OnSuccess: { Destination: recorded.arn } } }),
    );
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'async-source',
        DestinationConfig: { OnSuccess: { Destination: `${ARN}:async-recorder` } },
      }),
    );
    const requestId = await invokeEvent('async-source', { n: 42 });

    // The recorder ran with the source's invocation record as its event; its own record says so.
    const outer = recordOf(await receiveOne(sqs, recorded.url));
    assert.equal(outer.requestContext.functionArn, `${ARN}:async-recorder:$LATEST`);
    const inner = outer.requestPayload as { requestContext: { requestId: string; condition: string }; requestPayload: unknown };
    assert.equal(inner.requestContext.requestId, requestId);
    assert.equal(inner.requestContext.condition, 'Success');
    assert.deepEqual(inner.requestPayload, { n: 42 });
  });

  it('sends the original event to the DeadLetterConfig queue with RequestID, ErrorCode and ErrorMessage', async () => {
    const dlq = await createQueue(sqs, 'async-dlq');
    await createFunction(t.lambda, 'async-dead', 'actions', { DeadLetterConfig: { TargetArn: dlq.arn } });
    const shown = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'async-dead' }));
    assert.deepEqual(shown.DeadLetterConfig, { TargetArn: dlq.arn });
    await t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-dead', MaximumRetryAttempts: 0 }));

    const requestId = await invokeEvent('async-dead', { action: 'throw', message: 'to the dead letters' });
    const m = await receiveOne(sqs, dlq.url);
    assert.deepEqual(JSON.parse(m.Body!), { action: 'throw', message: 'to the dead letters' });
    assert.deepEqual(m.MessageAttributes?.['RequestID'], { DataType: 'String', StringValue: requestId });
    assert.equal(m.MessageAttributes?.['ErrorCode']?.DataType, 'Number');
    assert.equal(m.MessageAttributes?.['ErrorCode']?.StringValue, '200');
    assert.deepEqual(m.MessageAttributes?.['ErrorMessage'], { DataType: 'String', StringValue: 'to the dead letters' });

    // An empty TargetArn removes the dead-letter queue.
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'async-dead', DeadLetterConfig: { TargetArn: '' } }));
    await waitUntilFunctionUpdatedV2({ client: t.lambda, maxWaitTime: 30, minDelay: 1 }, { FunctionName: 'async-dead' });
    const cleared = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'async-dead' }));
    assert.equal(cleared.DeadLetterConfig, undefined);
  });
});
