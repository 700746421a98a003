/** S3 event notifications to EventBridge: with EventBridgeConfiguration, every event reaches the default bus's rules. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, DeleteObjectCommand, GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

describe('S3 notifications to EventBridge', () => {
  let t: TestPlatform;
  let s3: S3Client;
  let eb: EventBridgeClient;
  let sqs: SQSClient;

  before(async () => {
    t = await startTestPlatform();
    const config = { endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
    s3 = new S3Client({ ...config, forcePathStyle: true });
    eb = new EventBridgeClient(config);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    [s3, eb, sqs].forEach((c) => c.destroy());
    await t.stop();
  });

  async function receive(url: string, count: number): Promise<Record<string, any>[]> {
    const got: Record<string, any>[] = [];
    const end = Date.now() + 60_000;
    while (got.length < count && Date.now() < end) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      got.push(...(r.Messages ?? []).map((m) => JSON.parse(m.Body!) as Record<string, any>));
    }
    assert.equal(got.length, count, `expected ${count} message(s)`);
    return got;
  }

  it('puts Object Created and Object Deleted on the default bus, in S3 shape, once the bucket asks for it', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 's3-eb-events' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await eb.send(new PutRuleCommand({ Name: 's3-uploads', EventPattern: JSON.stringify({ source: ['aws.s3'], detail: { bucket: { name: ['eb-uploads'] } } }) }));
    await eb.send(new PutTargetsCommand({ Rule: 's3-uploads', Targets: [{ Id: 'q', Arn: Attributes!['QueueArn']! }] }));
    await s3.send(new CreateBucketCommand({ Bucket: 'eb-uploads' }));
    await s3.send(new PutObjectCommand({ Bucket: 'eb-uploads', Key: 'before.txt', Body: 'not yet' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'eb-uploads', NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    assert.deepEqual((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'eb-uploads' }))).EventBridgeConfiguration, {});

    const put = await s3.send(new PutObjectCommand({ Bucket: 'eb-uploads', Key: 'reports/a b.txt', Body: 'hello' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'eb-uploads', Key: 'reports/a b.txt' }));
    const [created, deleted] = (await receive(QueueUrl!, 2)).sort((a, b) => String(a['detail-type']).localeCompare(String(b['detail-type'])));
    assert.deepEqual([created!['source'], created!['detail-type'], created!['resources']], ['aws.s3', 'Object Created', ['arn:aws:s3:::eb-uploads']]);
    assert.deepEqual(created!['detail']['object'], { key: 'reports/a b.txt', size: 5, etag: put.ETag!.replace(/"/g, ''), sequencer: created!['detail']['object']['sequencer'] });
    assert.deepEqual([created!['detail']['bucket'], created!['detail']['reason']], [{ name: 'eb-uploads' }, 'PutObject']);
    assert.deepEqual([deleted!['detail-type'], deleted!['detail']['reason'], deleted!['detail']['deletion-type']], ['Object Deleted', 'DeleteObject', 'Permanently Deleted']);

    // Turned off again: nothing more reaches the bus.
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'eb-uploads', NotificationConfiguration: {} }));
    assert.equal((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'eb-uploads' }))).EventBridgeConfiguration, undefined);
    await s3.send(new PutObjectCommand({ Bucket: 'eb-uploads', Key: 'after.txt', Body: 'quiet' }));
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    assert.equal(r.Messages, undefined);
  });
});
