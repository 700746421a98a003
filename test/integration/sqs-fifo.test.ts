import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { platformSuite } from '../helpers/suite.js';
import { failure, sqsClient } from '../helpers/sqs.js';

describe('FIFO queues', () => {
  let sqs: SQSClient;
  platformSuite((t) => ({ sqs: sqsClient(t.platform.url) }), (s) => ({ sqs } = s));

  const fifo = async (name: string, extra: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ...extra } }))).QueueUrl!;

  it('requires the .fifo suffix, a group id and a deduplication id', async () => {
    assert.equal((await failure(sqs.send(new CreateQueueCommand({ QueueName: 'nofifo', Attributes: { FifoQueue: 'true' } })))).name, 'InvalidParameterValue');
    const url = await fifo('strict.fifo');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['FifoQueue', 'ContentBasedDeduplication'] }));
    assert.deepEqual(attrs.Attributes, { FifoQueue: 'true', ContentBasedDeduplication: 'false' });
    assert.equal((await failure(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })))).name, 'MissingParameter');
    assert.equal((await failure(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageGroupId: 'g' })))).name, 'InvalidParameterValue');
  });

  it('deduplicates within the window and numbers messages in sequence', async () => {
    const url = await fifo('dedup.fifo', { ContentBasedDeduplication: 'true' });
    const a = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }));
    const b = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g' }));
    const c = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'same', MessageGroupId: 'g', MessageDeduplicationId: 'explicit' }));
    assert.equal(b.MessageId, a.MessageId);
    assert.equal(b.SequenceNumber, a.SequenceNumber);
    assert.notEqual(c.MessageId, a.MessageId);
    assert.ok(BigInt(c.SequenceNumber!) > BigInt(a.SequenceNumber!));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    assert.equal(got.Messages?.length, 2);
    assert.equal(got.Messages?.[0]?.Attributes?.MessageGroupId, 'g');
    assert.equal(got.Messages?.[0]?.Attributes?.SequenceNumber, a.SequenceNumber);
  });

  it('delivers each group in order, one batch in flight per group', async () => {
    const url = await fifo('ordered.fifo', { ContentBasedDeduplication: 'true' });
    const entries = ['a1', 'b1', 'a2', 'b2', 'a3'].map((body, i) => ({ Id: `m${i}`, MessageBody: body, MessageGroupId: body[0]! }));
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    assert.equal(sent.Successful?.length, 5);

    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 2, VisibilityTimeout: 600 }));
    assert.deepEqual(first.Messages?.map((m) => m.Body), ['a1', 'b1']);
    // Both groups have a message in flight: nothing more until one is deleted.
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages, undefined);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages![0]!.ReceiptHandle! }));
    const next = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
    assert.deepEqual(next.Messages?.map((m) => m.Body), ['a2', 'a3']);
  });
});
