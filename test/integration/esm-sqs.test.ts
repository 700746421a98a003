import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, PutFunctionConcurrencyCommand, type CreateEventSourceMappingCommandInput } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { newGate, type Gate } from '../helpers/gate.js';
import { createFunction, startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

interface Recorded {
  record: {
    messageId: string;
    receiptHandle: string;
    body: string;
    attributes: Record<string, string>;
    messageAttributes: Record<string, unknown>;
    md5OfBody: string;
    md5OfMessageAttributes?: string;
    eventSource: string;
    eventSourceARN: string;
    awsRegion: string;
  };
  batchSize: number;
}

describe('event source mappings: SQS batches through real functions', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  const gates: Gate[] = [];
  before(async () => {
    t = await startTestPlatform();
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    for (const g of gates) g.close();
    sqs.destroy();
    await t.stop();
  });

  const queue = async (QueueName: string, Attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;

  /** A queue, its own results queue, an esm-record function and an enabled mapping between them. */
  async function setup(name: string, opts: { env?: Record<string, string>; queue?: Record<string, string>; mapping?: Partial<CreateEventSourceMappingCommandInput>; timeout?: number } = {}) {
    const url = await queue(name, opts.queue);
    const results = await queue(`${name.replace('.fifo', '')}-results`);
    await createFunction(t.lambda, `${name.replace('.fifo', '')}-fn`, 'esm-record', {
      Environment: { Variables: { RESULTS_QUEUE: `${name.replace('.fifo', '')}-results`, ...opts.env } },
      ...(opts.timeout ? { Timeout: opts.timeout } : {}),
    });
    const m = await t.lambda.send(new CreateEventSourceMappingCommand({ FunctionName: `${name.replace('.fifo', '')}-fn`, EventSourceArn: arn(name), ...opts.mapping }));
    await waitFor(async () => (await t.lambda.send(new GetEventSourceMappingCommand({ UUID: m.UUID }))).State === 'Enabled', 'mapping enabled');
    return { url, results, uuid: m.UUID! };
  }

  /** Reads `n` records the function wrote, in the order it wrote them (bounded wait). */
  async function recorded(QueueUrl: string, n: number, timeoutMs = 60_000): Promise<Recorded[]> {
    const got: Recorded[] = [];
    const deadline = Date.now() + timeoutMs;
    while (got.length < n && Date.now() < deadline) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of r.Messages ?? []) {
        got.push(JSON.parse(m.Body!));
        await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    assert.equal(got.length, n, `expected ${n} records, got ${got.length}`);
    return got;
  }

  async function counts(QueueUrl: string): Promise<{ visible: number; inFlight: number }> {
    const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return { visible: Number(a.Attributes!.ApproximateNumberOfMessages), inFlight: Number(a.Attributes!.ApproximateNumberOfMessagesNotVisible) };
  }

  const countsAre = (url: string, visible: number, inFlight: number) =>
    waitFor(async () => {
      const c = await counts(url);
      return c.visible === visible && c.inFlight === inFlight;
    }, `${url} to hold ${visible} visible and ${inFlight} in-flight messages`);

  it('invokes with Lambda’s SQS event and deletes the batch on success', async () => {
    const { url, results } = await setup('plain');
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: '{"hello":"world"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'greeting' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from('bytes') } },
      }),
    );
    const [r] = await recorded(results, 1);
    const rec = r!.record;
    assert.deepEqual(Object.keys(rec), ['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    assert.equal(rec.messageId, sent.MessageId);
    assert.equal(rec.body, '{"hello":"world"}');
    assert.equal(rec.md5OfBody, sent.MD5OfMessageBody);
    assert.equal(rec.md5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(rec.eventSource, 'aws:sqs');
    assert.equal(rec.eventSourceARN, arn('plain'));
    assert.equal(rec.awsRegion, 'us-east-1');
    assert.deepEqual(Object.keys(rec.attributes), ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    assert.equal(rec.attributes['ApproximateReceiveCount'], '1');
    assert.match(rec.attributes['SentTimestamp']!, /^\d{13}$/);
    assert.deepEqual(rec.messageAttributes, {
      kind: { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' },
      blob: { binaryValue: Buffer.from('bytes').toString('base64'), stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    await countsAre(url, 0, 0);
  });

  it('deletes only the messages a ReportBatchItemFailures response does not name', async () => {
    const { url, results } = await setup('partial', {
      env: { MODE: 'partial' },
      queue: { VisibilityTimeout: '300' },
      mapping: { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 5, MaximumBatchingWindowInSeconds: 1 },
    });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: ['ok-1', 'fail-1', 'ok-2'].map((b, i) => ({ Id: `m${i}`, MessageBody: b })) }));
    const got = await recorded(results, 3);
    assert.deepEqual(got.map((r) => r.record.body).sort(), ['fail-1', 'ok-1', 'ok-2']);
    await countsAre(url, 0, 1); // the failed one waits out its visibility timeout; the others are gone
  });

  it('leaves a failed batch to the visibility timeout, and the queue’s redrive policy moves it to the DLQ', async () => {
    const dlq = await queue('failing-dlq');
    const { url, results } = await setup('failing', {
      env: { MODE: 'throw' },
      queue: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('failing-dlq'), maxReceiveCount: 2 }) },
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    const attempts = await recorded(results, 2);
    assert.deepEqual(attempts.map((r) => r.record.attributes['ApproximateReceiveCount']), ['1', '2']);
    let dead: string | undefined;
    await waitFor(async () => {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq, WaitTimeSeconds: 1 }));
      dead = r.Messages?.[0]?.MessageId;
      return dead !== undefined;
    }, 'the message in the DLQ');
    assert.equal(dead, sent.MessageId);
    await countsAre(url, 0, 0);
  });

  it('retries a throttled batch promptly instead of waiting out the visibility timeout', async () => {
    const { url, results } = await setup('throttled', { queue: { VisibilityTimeout: '300' }, mapping: { BatchSize: 10, MaximumBatchingWindowInSeconds: 1 } });
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled-fn', ReservedConcurrentExecutions: 0 }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [1, 2, 3, 4, 5].map((n) => ({ Id: `m${n}`, MessageBody: `job ${n}` })) }));
    await countsAre(url, 0, 5); // the poller holds the batch while the function is throttled
    const released = Date.now();
    await t.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'throttled-fn', ReservedConcurrentExecutions: 1 }));
    const got = await recorded(results, 5, 30_000);
    assert.ok(Date.now() - released < 30_000, 'processed well before the 300 s visibility timeout');
    assert.deepEqual(got.map((r) => r.record.body).sort(), ['job 1', 'job 2', 'job 3', 'job 4', 'job 5']);
    assert.ok(got.every((r) => r.record.attributes['ApproximateReceiveCount'] === '1'), 'held, not received again');
    await countsAre(url, 0, 0);
  });

  it('scales up to MaximumConcurrency batches while receives come back full', async () => {
    const gate = await newGate();
    gates.push(gate);
    const { url, results } = await setup('backlog', { env: { GATE: gate.url }, timeout: 60, mapping: { BatchSize: 1, ScalingConfig: { MaximumConcurrency: 3 } } });
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [...Array(10).keys()].map((n) => ({ Id: `m${n}`, MessageBody: `job ${n}` })) }));
    await gate.entered(3);
    await countsAre(url, 7, 3); // three batches of one in flight, no more
    gate.open();
    await recorded(results, 10);
    await countsAre(url, 0, 0);
  });

  it('keeps each FIFO group in order', async () => {
    const { url, results } = await setup('ordered.fifo', { queue: { FifoQueue: 'true', ContentBasedDeduplication: 'true' }, mapping: { BatchSize: 1 } });
    const bodies = ['a1', 'b1', 'a2', 'a3', 'b2', 'a4', 'b3', 'a5'];
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.map((b, i) => ({ Id: `m${i}`, MessageBody: b, MessageGroupId: b[0]! })) }));
    const got = (await recorded(results, bodies.length)).map((r) => r.record);
    assert.deepEqual(got.filter((r) => r.body.startsWith('a')).map((r) => r.body), ['a1', 'a2', 'a3', 'a4', 'a5']);
    assert.deepEqual(got.filter((r) => r.body.startsWith('b')).map((r) => r.body), ['b1', 'b2', 'b3']);
    const first = got[0]!.attributes;
    assert.deepEqual(Object.keys(first), ['ApproximateReceiveCount', 'SentTimestamp', 'SequenceNumber', 'MessageGroupId', 'SenderId', 'MessageDeduplicationId', 'ApproximateFirstReceiveTimestamp']);
  });

  it('invokes only with messages that match a filter and deletes the others', async () => {
    const { url, results } = await setup('filtered', {
      mapping: {
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: 1,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { type: ['order'], amount: [{ numeric: ['>', 100] }] } }) }, { Pattern: JSON.stringify({ body: [{ prefix: 'urgent' }] }) }] },
      },
    });
    const bodies = ['{"type":"order","amount":150}', '{"type":"order","amount":50}', '{"type":"refund","amount":500}', 'urgent: call back', 'not json'];
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.map((b, i) => ({ Id: `m${i}`, MessageBody: b })) }));
    await countsAre(url, 0, 0);
    const got = await recorded(results, 2);
    assert.deepEqual(got.map((r) => r.record.body).sort(), ['urgent: call back', '{"type":"order","amount":150}']);
  });
});
