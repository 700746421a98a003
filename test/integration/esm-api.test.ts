import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { failure, sqsClient } from '../helpers/sqs.js';

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const FN_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:esm-fn';

async function waitForState(lambda: LambdaClient, UUID: string, state: string): Promise<void> {
  await waitFor(async () => (await lambda.send(new GetEventSourceMappingCommand({ UUID }))).State === state, `mapping ${UUID} ${state}`);
}

/** Reads `n` records the esm-record function wrote to the results queue (bounded wait). */
async function results(sqs: SQSClient, QueueUrl: string, n: number): Promise<{ record: { body: string; messageId: string } }[]> {
  const got: { record: { body: string; messageId: string } }[] = [];
  const deadline = Date.now() + 60_000;
  while (got.length < n && Date.now() < deadline) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) {
      got.push(JSON.parse(m.Body!));
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
  assert.equal(got.length, n, `expected ${n} results`);
  return got;
}

describe('event source mappings: the Lambda API', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  before(async () => {
    t = await startTestPlatform();
    sqs = sqsClient(t.platform.url);
    await sqs.send(new CreateQueueCommand({ QueueName: 'results' }));
    await createFunction(t.lambda, 'esm-fn', 'esm-record', { Environment: { Variables: { RESULTS_QUEUE: 'results' } } });
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  it('creates, reads, lists, updates and deletes a mapping in Lambda’s shape', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
    await sqs.send(new CreateQueueCommand({ QueueName: 'refunds' }));
    const created = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: arn('orders') }));
    assert.equal(created.$metadata.httpStatusCode, 202);
    assert.match(created.UUID!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(created.State, 'Creating');
    assert.equal(created.StateTransitionReason, 'USER_INITIATED');
    assert.equal(created.BatchSize, 10);
    assert.equal(created.MaximumBatchingWindowInSeconds, 0);
    assert.equal(created.FunctionArn, FN_ARN);
    assert.equal(created.EventSourceArn, arn('orders'));
    assert.deepEqual(created.FunctionResponseTypes, []);
    assert.equal(created.EventSourceMappingArn, `arn:aws:lambda:us-east-1:000000000000:event-source-mapping:${created.UUID}`);
    assert.ok(created.LastModified instanceof Date && Math.abs(created.LastModified.getTime() - Date.now()) < 60_000);
    await waitForState(t.lambda, created.UUID!, 'Enabled');

    const other = await t.lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: FN_ARN, EventSourceArn: arn('refunds'), Enabled: false, BatchSize: 50, MaximumBatchingWindowInSeconds: 2 }),
    );
    await waitForState(t.lambda, other.UUID!, 'Disabled');

    const byFunction = await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'esm-fn' }));
    assert.deepEqual(byFunction.EventSourceMappings?.map((m) => m.UUID), [created.UUID, other.UUID]);
    const bySource = await t.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: arn('refunds') }));
    assert.deepEqual(bySource.EventSourceMappings?.map((m) => m.UUID), [other.UUID]);
    const first = await t.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1 }));
    assert.equal(first.EventSourceMappings?.length, 1);
    assert.ok(first.NextMarker);
    const second = await t.lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 1, Marker: first.NextMarker }));
    assert.deepEqual(second.EventSourceMappings?.map((m) => m.UUID), [other.UUID]);
    assert.equal(second.NextMarker, undefined);

    const pattern = JSON.stringify({ body: { type: ['order'] } });
    const updated = await t.lambda.send(
      new UpdateEventSourceMappingCommand({
        UUID: created.UUID,
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 3 },
        FilterCriteria: { Filters: [{ Pattern: pattern }] },
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 202);
    assert.equal(updated.State, 'Updating');
    assert.equal(updated.BatchSize, 5);
    assert.deepEqual(updated.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.deepEqual(updated.ScalingConfig, { MaximumConcurrency: 3 });
    assert.deepEqual(updated.FilterCriteria, { Filters: [{ Pattern: pattern }] });
    await waitForState(t.lambda, created.UUID!, 'Enabled');

    const cleared = await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FilterCriteria: { Filters: [] }, ScalingConfig: {} }));
    assert.equal(cleared.FilterCriteria, undefined);
    assert.equal(cleared.ScalingConfig, undefined);
    await waitForState(t.lambda, created.UUID!, 'Enabled');

    const disabling = await t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }));
    assert.equal(disabling.State, 'Disabling');
    await waitForState(t.lambda, created.UUID!, 'Disabled');

    for (const uuid of [created.UUID!, other.UUID!]) {
      const deleted = await t.lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
      assert.equal(deleted.State, 'Deleting');
      const gone = await failure(t.lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })));
      assert.equal(gone.name, 'ResourceNotFoundException');
    }
    assert.deepEqual((await t.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings, []);
  });

  it('refuses what Lambda refuses, with Lambda’s exceptions', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'checks' }));
    await sqs.send(new CreateQueueCommand({ QueueName: 'checks.fifo', Attributes: { FifoQueue: 'true' } }));
    const create = (extra: Record<string, unknown>) =>
      failure(t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: arn('checks'), ...extra })));
    assert.equal((await create({ FunctionName: 'nope' })).name, 'ResourceNotFoundException');
    assert.equal((await create({ EventSourceArn: arn('missing') })).name, 'InvalidParameterValueException');
    assert.equal((await create({ EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })).name, 'InvalidParameterValueException');
    assert.equal((await create({ BatchSize: 100 })).name, 'InvalidParameterValueException');
    assert.equal((await create({ BatchSize: 10_001, MaximumBatchingWindowInSeconds: 1 })).name, 'ValidationException');
    assert.equal((await create({ ScalingConfig: { MaximumConcurrency: 1 } })).name, 'ValidationException');
    assert.equal((await create({ FilterCriteria: { Filters: [{ Pattern: '{"body": "not a list"}' }] } })).name, 'InvalidParameterValueException');
    assert.equal((await create({ StartingPosition: 'LATEST' })).name, 'InvalidParameterValueException');
    assert.equal((await create({ EventSourceArn: arn('checks.fifo'), BatchSize: 11, MaximumBatchingWindowInSeconds: 1 })).name, 'InvalidParameterValueException');

    const ok = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: arn('checks'), BatchSize: 100, MaximumBatchingWindowInSeconds: 1 }));
    const dup = await create({ FunctionName: FN_ARN });
    assert.equal(dup.name, 'ResourceConflictException');
    assert.match(dup.message, new RegExp(ok.UUID!));
    const badUpdate = await failure(t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: ok.UUID, MaximumBatchingWindowInSeconds: 0 })));
    assert.equal(badUpdate.name, 'InvalidParameterValueException');
    const missing = await failure(t.lambda.send(new UpdateEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000', BatchSize: 1 })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    await t.lambda.send(new DeleteEventSourceMappingCommand({ UUID: ok.UUID }));
  });
});

describe('event source mappings: across a restart', () => {
  it('keeps mappings and restarts their pollers with the server', async () => {
    let t = await startTestPlatform();
    let sqs = sqsClient(t.platform.url);
    try {
      const resultsUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'results' }))).QueueUrl!;
      const work = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable' }))).QueueUrl!;
      await createFunction(t.lambda, 'esm-fn', 'esm-record', { Environment: { Variables: { RESULTS_QUEUE: 'results' } } });
      const created = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'esm-fn', EventSourceArn: arn('durable'), BatchSize: 3 }));
      await waitForState(t.lambda, created.UUID!, 'Enabled');
      await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'before' }));
      assert.equal((await results(sqs, resultsUrl, 1))[0]!.record.body, 'before');

      sqs.destroy();
      const dataDir = t.dataDir;
      await t.stop(false);
      t = await startTestPlatform({}, dataDir);
      sqs = sqsClient(t.platform.url);
      const again = await t.lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
      assert.equal(again.State, 'Enabled');
      assert.equal(again.BatchSize, 3);
      const resultsAfter = (await sqs.send(new CreateQueueCommand({ QueueName: 'results' }))).QueueUrl!;
      await sqs.send(new SendMessageCommand({ QueueUrl: (await sqs.send(new CreateQueueCommand({ QueueName: 'durable' }))).QueueUrl!, MessageBody: 'after' }));
      assert.equal((await results(sqs, resultsAfter, 1))[0]!.record.body, 'after');
    } finally {
      sqs.destroy();
      await t.stop();
    }
  });
});
