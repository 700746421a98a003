import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createFunction, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';
import { createQueue, json, receiveOne, recordOf } from './async-helpers.js';

// Lambda's smallest MaximumEventAgeInSeconds is 60, so this test waits a minute: opt in to run it.
const slow = process.env['SELFLESS_SLOW_TESTS'] === '1' ? {} : { skip: 'waits 60 s for an event to expire; set SELFLESS_SLOW_TESTS=1' };

describe('asynchronous events older than MaximumEventAgeInSeconds', slow, () => {
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

  it('are dropped to the failure destination (EventAgeExceeded) and the dead-letter queue (ErrorCode 429)', { timeout: 120_000 }, async () => {
    const failure = await createQueue(sqs, 'expiry-failure');
    const dlq = await createQueue(sqs, 'expiry-dlq');
    await createFunction(t.lambda, 'expiry-fn', 'actions', { DeadLetterConfig: { TargetArn: dlq.arn } });
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'expiry-fn', ReservedConcurrentExecutions: 0 }));
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'expiry-fn', MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: failure.arn } } }),
    );
    const res = await t.lambda.send(new InvokeCommand({ FunctionName: 'expiry-fn', InvocationType: 'Event', Payload: json({ too: 'late' }) }));
    const requestId = res.$metadata.requestId!;

    const record = recordOf(await receiveOne(sqs, failure.url, 90_000));
    assert.equal(record.requestContext.requestId, requestId);
    assert.equal(record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(record.requestContext.approximateInvokeCount, 0);
    assert.deepEqual(record.requestPayload, { too: 'late' });
    assert.equal(record.responseContext, undefined, 'a throttled event never ran: no response');

    const dead = await receiveOne(sqs, dlq.url);
    assert.deepEqual(JSON.parse(dead.Body!), { too: 'late' });
    assert.equal(dead.MessageAttributes?.['ErrorCode']?.StringValue, '429');
    assert.match(dead.MessageAttributes?.['ErrorMessage']?.StringValue ?? '', /TooManyRequestsException/);
  });
});
