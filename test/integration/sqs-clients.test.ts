import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import { type TestPlatform } from '../helpers/platform.js';
import { platformSuite } from '../helpers/suite.js';
import { sqsClient } from '../helpers/sqs.js';

const run = promisify(execFile);

describe('other SQS clients: the aws CLI (botocore) and sqs-consumer', () => {
  let t: TestPlatform;
  let sqs: SQSClient;
  platformSuite((t) => ({ sqs: sqsClient(t.platform.url) }), (s) => ({ t, sqs } = s));

  const aws = (...args: string[]) =>
    run('aws', ['--endpoint-url', t.platform.url, '--output', 'json', 'sqs', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_MAX_ATTEMPTS: '1',
      },
    });

  it('sends and receives with the aws CLI, and reports a missing queue by name', async () => {
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'cli' }))).QueueUrl!;
    const sent = JSON.parse(
      (await aws('send-message', '--queue-url', QueueUrl, '--message-body', 'from the CLI', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}')).stdout,
    ) as { MessageId: string; MD5OfMessageAttributes: string };
    assert.match(sent.MessageId, /^[0-9a-f-]{36}$/);
    const got = JSON.parse(
      (await aws('receive-message', '--queue-url', QueueUrl, '--message-attribute-names', 'All', '--attribute-names', 'All')).stdout,
    ) as { Messages: { Body: string; MessageId: string; MD5OfMessageAttributes: string; Attributes: Record<string, string> }[] };
    assert.equal(got.Messages[0]!.Body, 'from the CLI');
    assert.equal(got.Messages[0]!.MessageId, sent.MessageId);
    assert.equal(got.Messages[0]!.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.equal(got.Messages[0]!.Attributes['ApproximateReceiveCount'], '1');
    const missing = await aws('get-queue-url', '--queue-name', 'not-there').then(
      () => assert.fail('expected a failure'),
      (e: { stderr: string }) => e.stderr,
    );
    assert.match(missing, /QueueDoesNotExist|NonExistentQueue/);
  });

  it('feeds sqs-consumer, which deletes what it handled', async () => {
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'consumed' }))).QueueUrl!;
    const bodies = Array.from({ length: 25 }, (_, i) => `job ${i}`);
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: bodies.slice(i, i + 10).map((b, k) => ({ Id: `e${k}`, MessageBody: b })) }));
    }
    const handled: string[] = [];
    let done!: () => void;
    const allHandled = new Promise<void>((resolve) => (done = resolve));
    const consumer = Consumer.create({
      queueUrl: QueueUrl,
      sqs,
      batchSize: 10,
      waitTimeSeconds: 1,
      handleMessage: async (m) => {
        handled.push(m.Body!);
        return m;
      },
    });
    const errors: Error[] = [];
    consumer.on('error', (e) => errors.push(e));
    consumer.on('processing_error', (e) => errors.push(e));
    let processed = 0; // handled and deleted
    consumer.on('message_processed', () => ++processed === bodies.length && done());
    consumer.start();
    await allHandled;
    const stopped = new Promise<void>((resolve) => consumer.once('stopped', () => resolve()));
    consumer.stop({ abort: true });
    await stopped;
    assert.deepEqual(errors, []);
    assert.deepEqual([...handled].sort(), [...bodies].sort());
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    assert.deepEqual(attrs.Attributes, { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });
});
