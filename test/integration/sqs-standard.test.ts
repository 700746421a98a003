import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  paginateListQueues,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { platformSuite } from '../helpers/suite.js';
import { failure, sqsClient } from '../helpers/sqs.js';

describe('standard queues through @aws-sdk/client-sqs', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  platformSuite((t) => ({ sqs: sqsClient(t.platform.url) }), (s) => ({ t, sqs } = s));

  const create = async (name: string, Attributes?: Record<string, string>) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, ...(Attributes ? { Attributes } : {}) }))).QueueUrl!;

  it('creates queues idempotently, finds them by name and lists them by prefix, page by page', async () => {
    const url = await create('orders', { VisibilityTimeout: '45' });
    assert.equal(url, `${t.platform.url}/000000000000/orders`);
    assert.equal(await create('orders', { VisibilityTimeout: '45' }), url);
    const clash = await failure(sqs.send(new CreateQueueCommand({ QueueName: 'orders', Attributes: { VisibilityTimeout: '10' } })));
    assert.equal(clash.name, 'QueueNameExists');
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl, url);
    const missing = await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    assert.equal(missing.name, 'QueueDoesNotExist');
    assert.equal(missing.$metadata?.httpStatusCode, 400);

    for (const n of ['list-b', 'list-a', 'list-c']) await create(n);
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-' }));
    assert.deepEqual(listed.QueueUrls?.map((u) => u.split('/').pop()), ['list-a', 'list-b', 'list-c']);
    assert.equal(listed.NextToken, undefined);
    const names: string[] = [];
    for await (const page of paginateListQueues({ client: sqs, pageSize: 2 }, { QueueNamePrefix: 'list-', MaxResults: 2 })) {
      names.push(...(page.QueueUrls ?? []).map((u) => u.split('/').pop()!));
    }
    assert.deepEqual(names, ['list-a', 'list-b', 'list-c']);
  });

  it('answers a missing queue with QueueDoesNotExist, accepting any host in the URL', async () => {
    const err = await failure(sqs.send(new SendMessageCommand({ QueueUrl: 'http://elsewhere:1/000000000000/ghost', MessageBody: 'x' })));
    assert.equal(err.name, 'QueueDoesNotExist');
    const res = await fetch(t.platform.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'x-amzn-query-mode': 'true' },
      body: JSON.stringify({ QueueName: 'ghost' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-query-error'), 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.deepEqual(await res.json(), { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
    const other = 'http://localhost:9/000000000000/orders';
    await sqs.send(new SendMessageCommand({ QueueUrl: other, MessageBody: 'via another host' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: other }));
  });

  it('gets and sets attributes, with SQS defaults, counts and InvalidAttributeName', async () => {
    const url = await create('attrs');
    const all = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    assert.equal(all['VisibilityTimeout'], '30');
    assert.equal(all['DelaySeconds'], '0');
    assert.equal(all['MessageRetentionPeriod'], '345600');
    assert.equal(all['MaximumMessageSize'], '1048576');
    assert.equal(all['ReceiveMessageWaitTimeSeconds'], '0');
    assert.equal(all['QueueArn'], 'arn:aws:sqs:us-east-1:000000000000:attrs');
    assert.equal(all['ApproximateNumberOfMessages'], '0');
    assert.match(all['CreatedTimestamp']!, /^\d{10}$/);
    assert.match(all['LastModifiedTimestamp']!, /^\d{10}$/);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5', DelaySeconds: '0' } }));
    const some = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'QueueArn'] }));
    assert.deepEqual(some.Attributes, { VisibilityTimeout: '5', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:attrs' });
    const bad = await failure(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['Colour' as 'All'] })));
    assert.equal(bad.name, 'InvalidAttributeName');
    const badValue = await failure(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '99999' } })));
    assert.equal(badValue.name, 'InvalidAttributeValue');

    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'two', DelaySeconds: 600 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, VisibilityTimeout: 600 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'three' }));
    const counts: Record<string, string> = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes!;
    assert.equal(counts['ApproximateNumberOfMessages'], '1');
    assert.equal(counts['ApproximateNumberOfMessagesNotVisible'], '1');
    assert.equal(counts['ApproximateNumberOfMessagesDelayed'], '1');
    assert.match(counts['ApproximateAgeOfOldestMessage']!, /^\d+$/);
  });

  it('sends and receives with attributes, digests the SDK checks, and system attributes', async () => {
    const url = await create('messages');
    const MessageAttributes = {
      'a.one': { DataType: 'String', StringValue: 'héllo' },
      n: { DataType: 'Number.int', StringValue: '42' },
      b: { DataType: 'Binary', BinaryValue: new Uint8Array([0, 1, 2]) },
    };
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello ✓', MessageAttributes }));
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('hello ✓').digest('hex'));
    // Digests of AWS's binary encoding of attributes, cross-checked with moto's implementation.
    assert.equal(sent.MD5OfMessageAttributes, '7bcd3930935949c7914e51eae2aea03c');
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    const m = got.Messages![0]!;
    assert.equal(m.Body, 'hello ✓');
    assert.equal(m.MessageId, sent.MessageId);
    assert.equal(m.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(m.MessageAttributes?.['a.one']?.StringValue, 'héllo');
    assert.deepEqual([...(m.MessageAttributes?.['b']?.BinaryValue ?? [])], [0, 1, 2]);
    assert.equal(m.Attributes?.ApproximateReceiveCount, '1');
    assert.ok(m.Attributes?.SenderId);
    assert.match(m.Attributes?.SentTimestamp ?? '', /^\d{13}$/);
    assert.match(m.Attributes?.ApproximateFirstReceiveTimestamp ?? '', /^\d{13}$/);

    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    const again = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['a.*'], AttributeNames: ['ApproximateReceiveCount' as 'All'] }),
    );
    const m2 = again.Messages![0]!;
    assert.deepEqual(Object.keys(m2.MessageAttributes ?? {}), ['a.one']);
    assert.equal(m2.MD5OfMessageAttributes, '8ce95a125fb0f8a9a35e04c226a6fa7e');
    assert.deepEqual(m2.Attributes, { ApproximateReceiveCount: '2' });
    const stale = await failure(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 5 })));
    assert.equal(stale.name, 'InvalidParameterValue');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m2.ReceiptHandle! }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m2.ReceiptHandle! }));
    const invalid = await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })));
    assert.equal(invalid.name, 'ReceiptHandleIsInvalid');
    const none = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
    assert.equal(none.Messages, undefined);
  });

  it('answers batches per entry and checks batches as a whole', async () => {
    // A queue with a smaller limit than the 1 MiB default, so one entry of a small batch is too big.
    const url = await create('batches', { MaximumMessageSize: '262144' });
    const big = 'x'.repeat(262_145);
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'first' },
          { Id: 'b', MessageBody: big },
          { Id: 'c', MessageBody: 'third', DelaySeconds: 0 },
        ],
      }),
    );
    assert.deepEqual(res.Successful?.map((s) => s.Id), ['a', 'c']);
    assert.equal(res.Failed?.[0]?.Id, 'b');
    assert.equal(res.Failed?.[0]?.Code, 'InvalidParameterValue');
    assert.equal(res.Failed?.[0]?.SenderFault, true);
    const tooBig = await failure(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: big })));
    assert.equal(tooBig.name, 'InvalidParameterValue');
    assert.match(tooBig.message, /Message must be shorter than 262144 bytes/);

    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, MessageBody: `m${i}` }));
    assert.equal((await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries(11) })))).name, 'TooManyEntriesInBatchRequest');
    assert.equal((await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [] })))).name, 'EmptyBatchRequest');
    const dup = [{ Id: 'same', MessageBody: '1' }, { Id: 'same', MessageBody: '2' }];
    assert.equal((await failure(sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: dup })))).name, 'BatchEntryIdsNotDistinct');

    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(got.Messages?.map((m) => m.Body).sort(), ['first', 'third']);
    const handles = got.Messages!.map((m, i) => ({ Id: `h${i}`, ReceiptHandle: m.ReceiptHandle! }));
    const vis = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: [...handles.map((h) => ({ ...h, VisibilityTimeout: 60 })), { Id: 'bad', ReceiptHandle: 'nope' }] }),
    );
    assert.equal(vis.Successful?.length, 2);
    assert.equal(vis.Failed?.[0]?.Code, 'ReceiptHandleIsInvalid');
    const del = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [...handles, { Id: 'bad', ReceiptHandle: 'nope' }] }));
    assert.deepEqual(del.Successful?.map((s) => s.Id).sort(), ['h0', 'h1']);
    assert.equal(del.Failed?.[0]?.Id, 'bad');
    const bad = await failure(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })));
    assert.equal(bad.name, 'InvalidParameterValue');
  });

  it('long-polls: a waiting receive returns as soon as a message is sent', async () => {
    const url = await create('long-poll');
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    const got = await waiting;
    assert.equal(got.Messages?.[0]?.Body, 'wake up');
  });

  it('ends long polls when the server stops, instead of holding shutdown for 20 s', { timeout: 15_000 }, async () => {
    const other = await startTestPlatform();
    const client = sqsClient(other.platform.url);
    try {
      const url = (await client.send(new CreateQueueCommand({ QueueName: 'shutdown' }))).QueueUrl!;
      const polls = [1, 2, 3].map(() => client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })).catch((e: Error) => e));
      await other.stop();
      for (const p of await Promise.all(polls)) if (!(p instanceof Error)) assert.equal(p.Messages, undefined);
    } finally {
      client.destroy();
    }
  });

  it('purges once per 60 seconds and deletes queues', async () => {
    const url = await create('purged');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'gone' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined);
    assert.equal((await failure(sqs.send(new PurgeQueueCommand({ QueueUrl: url })))).name, 'PurgeQueueInProgress');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
    assert.equal((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'purged' })))).name, 'QueueDoesNotExist');
  });
});
