/**
 * SQS as it stands since 2025, and the operations other projects' suites call: 1 MiB messages and
 * batches, permissions in the queue policy, high-throughput FIFO deduplication per message group,
 * and tags that must have values.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

describe('SQS limits, permissions and high-throughput FIFO', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  before(async () => {
    t = await startTestPlatform();
    sqs = new SQSClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    sqs.destroy();
    await t.stop();
  });

  it('takes messages up to 1 MiB by default, and batches up to 1 MiB in all', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'big' }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['MaximumMessageSize'] }));
    assert.equal(attrs.Attributes?.['MaximumMessageSize'], '1048576');
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_576) }));
    await assert.rejects(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x'.repeat(1_048_577) })), /Message must be shorter than 1048576 bytes/);
    await assert.rejects(
      sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x'.repeat(600_000) }, { Id: 'b', MessageBody: 'y'.repeat(600_000) }] })),
      (err: Error) => err.name === 'BatchRequestTooLong' && /cannot be longer than 1048576 bytes. You have sent 1200000 bytes/.test(err.message),
    );
  });

  it('adds and removes labelled permissions in the queue policy', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'shared' }));
    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'partner', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', 'ReceiveMessage'] }));
    const policy = JSON.parse((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes!['Policy']!) as { Statement: unknown[] };
    assert.deepEqual(policy.Statement, [
      { Sid: 'partner', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:root'] }, Action: ['SQS:SendMessage', 'SQS:ReceiveMessage'], Resource: 'arn:aws:sqs:us-east-1:000000000000:shared' },
    ]);
    await assert.rejects(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'partner', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })), /Already exists/);
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'partner' }));
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes?.['Policy'], undefined);
    await assert.rejects(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'partner' })), /can't find label/);
  });

  it('deduplicates within a message group only with DeduplicationScope messageGroup', async () => {
    const received = async (QueueUrl: string) => {
      const bodies: string[] = [];
      for (let i = 0; i < 3; i++) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        bodies.push(...(got.Messages ?? []).map((m) => m.Body!));
      }
      return bodies.sort();
    };
    for (const [scope, expected] of [
      ['messageGroup', ['a1', 'b1']],
      ['queue', ['a1']],
    ] as const) {
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: `ht-${scope}.fifo`, Attributes: { FifoQueue: 'true', DeduplicationScope: scope, FifoThroughputLimit: scope === 'queue' ? 'perQueue' : 'perMessageGroupId' } }),
      );
      for (const [group, body] of [['a', 'a1'], ['b', 'b1'], ['a', 'a2']] as const) {
        await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: 'same' }));
      }
      assert.deepEqual(await received(QueueUrl!), expected, scope);
      const attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!;
      assert.equal(attrs['DeduplicationScope'], scope);
    }
  });

  it('refuses a tag without a value', async () => {
    const res = await fetch(t.platform.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue' },
      body: JSON.stringify({ QueueName: 'tagged', tags: { team: null } }),
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /tag values cannot be null/);
  });
});
