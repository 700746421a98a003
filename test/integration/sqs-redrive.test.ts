import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { platformSuite } from '../helpers/suite.js';
import { failure, sqsClient } from '../helpers/sqs.js';

describe('dead-letter queues and message move tasks', () => {
  let sqs: SQSClient;
  platformSuite((t) => ({ sqs: sqsClient(t.platform.url) }), (s) => ({ sqs } = s));

  const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
  const receive = (QueueUrl: string) =>
    sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));

  it('moves a message received more than maxReceiveCount times to the DLQ, and moves it back', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'work-dlq' }))).QueueUrl!;
    const bad = await failure(
      sqs.send(new CreateQueueCommand({ QueueName: 'work', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('missing'), maxReceiveCount: 2 }) } })),
    );
    assert.equal(bad.name, 'InvalidParameterValue');
    const policy = JSON.stringify({ deadLetterTargetArn: arn('work-dlq'), maxReceiveCount: 2 });
    const work = (await sqs.send(new CreateQueueCommand({ QueueName: 'work', Attributes: { RedrivePolicy: policy } }))).QueueUrl!;
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: work, AttributeNames: ['RedrivePolicy'] }));
    assert.deepEqual(JSON.parse(attrs.Attributes!.RedrivePolicy!), { deadLetterTargetArn: arn('work-dlq'), maxReceiveCount: 2 });
    assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [work]);

    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: work, MessageBody: 'poison' }));
    assert.equal((await receive(work)).Messages?.[0]?.Attributes?.ApproximateReceiveCount, '1');
    assert.equal((await receive(work)).Messages?.[0]?.Attributes?.ApproximateReceiveCount, '2');
    assert.equal((await receive(work)).Messages, undefined, 'the third receive moves it instead');
    const dead = (await receive(dlq)).Messages!;
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.MessageId, sent.MessageId);
    assert.equal(dead[0]!.Body, 'poison');
    assert.equal(dead[0]!.Attributes?.DeadLetterQueueSourceArn, arn('work'));

    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('work-dlq') }));
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn('work-dlq') }));
    assert.equal(tasks.Results?.[0]?.Status, 'COMPLETED');
    assert.equal(tasks.Results?.[0]?.ApproximateNumberOfMessagesMoved, 1);
    const back = (await receive(work)).Messages!;
    assert.equal(back[0]!.MessageId, sent.MessageId);
    assert.equal(back[0]!.Attributes?.ApproximateReceiveCount, '1');
    assert.equal((await receive(dlq)).Messages, undefined);
  });

  it('moves a DLQ to a chosen destination, and can drop the redrive policy', async () => {
    const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'other-dlq' }))).QueueUrl!;
    const dest = (await sqs.send(new CreateQueueCommand({ QueueName: 'replay' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: 'two' }));
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('other-dlq'), DestinationArn: arn('replay') }));
    assert.deepEqual((await receive(dest)).Messages?.map((m) => m.Body).sort(), ['one', 'two']);
    const missing = await failure(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn('nowhere') })));
    assert.equal(missing.name, 'ResourceNotFoundException');

    const work = (await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }))).QueueUrl!;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: work, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn('other-dlq'), maxReceiveCount: 1 }) } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: work, Attributes: { RedrivePolicy: '' } }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: work, AttributeNames: ['All'] }));
    assert.equal(attrs.Attributes?.RedrivePolicy, undefined);
  });
});
