/** SNS delivery retries and dead-letter queues, on a clock the test moves; email-json in the server log. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfirmSubscriptionCommand, CreateTopicCommand, GetSubscriptionAttributesCommand, PublishCommand, SubscribeCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import type { Logger } from '../../src/lib/logger.js';
import { startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { createQueue, receive, snsClient } from '../helpers/sns.js';
import { sqsClient } from '../helpers/sqs.js';

interface LogEntry {
  msg: string;
  fields: Record<string, unknown>;
}

function capturingLogger(into: LogEntry[]): Logger {
  const push = (msg: string, fields: Record<string, unknown> = {}) => void into.push({ msg, fields });
  return { debug: push, info: push, warn: push, error: push };
}

describe('SNS retries, dead letters and email-json', () => {
  let t: TestPlatform;
  let sns: SNSClient;
  let sqs: SQSClient;
  const clock = new ManualClock();
  const log: LogEntry[] = [];

  before(async () => {
    t = await startTestPlatform({}, undefined, { clock, logger: capturingLogger(log) });
    sns = snsClient(t.platform.url);
    sqs = sqsClient(t.platform.url);
  });
  after(async () => {
    sns.destroy();
    sqs.destroy();
    await t.stop();
  });

  it("a failing HTTP endpoint gets SNS's default policy (3 retries, 20 s apart), then the message goes to the DLQ", async () => {
    const attempts: number[] = [];
    let token = '';
    const server: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const m = JSON.parse(body) as Record<string, string>;
        if (m['Type'] === 'SubscriptionConfirmation') {
          token = m['Token']!;
          res.end();
          return;
        }
        attempts.push(clock.now());
        res.statusCode = 500;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const dlq = await createQueue(sqs, 'http-dlq');
      const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'flaky-http' }));
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }));
      await waitFor(() => token !== '', 'the confirmation request');
      // The endpoint confirms through the API this time, with the token it was sent.
      const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));
      assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!['PendingConfirmation'], 'false');

      const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'will not arrive' }));
      await waitFor(() => attempts.length === 1, 'the first attempt');
      // Each step fires at most the one retry timer pending, so attempts cannot outrun the clock.
      for (let i = 0; i < 3000 && attempts.length < 4; i++) {
        clock.advance(20_000);
        await new Promise((r) => setTimeout(r, 20));
      }
      const [dead] = await receive(sqs, dlq.url, 1, 0);
      assert.equal(attempts.length, 4, 'one attempt and three retries');
      for (let i = 1; i < 4; i++) assert.ok(attempts[i]! - attempts[i - 1]! >= 20_000, `retry ${i} came 20 s or more after the attempt before`);
      const body = JSON.parse(dead!.Body!) as Record<string, string>;
      assert.deepEqual([body['Type'], body['MessageId'], body['Message']], ['Notification', MessageId, 'will not arrive']);
      await waitFor(() => log.some((e) => e.msg.includes('sent to the dead-letter queue') && e.fields['messageId'] === MessageId), 'the logged dead letter');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('a Lambda subscription whose function does not exist sends to its DLQ; without a DLQ the loss is logged', async () => {
    const dlq = await createQueue(sqs, 'lambda-dlq');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-missing-function' }));
    const fn = 'arn:aws:lambda:us-east-1:000000000000:function:missing';
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'lost?' }));
    const [dead] = await receive(sqs, dlq.url, 1, 0);
    assert.equal((JSON.parse(dead!.Body!) as Record<string, string>)['MessageId'], MessageId);

    const { TopicArn: bare } = await sns.send(new CreateTopicCommand({ Name: 'no-dlq' }));
    await sns.send(new SubscribeCommand({ TopicArn: bare, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:never-created' }));
    const lost = await sns.send(new PublishCommand({ TopicArn: bare, Message: 'nowhere' }));
    await waitFor(() => log.some((e) => e.msg.includes('no dead-letter queue') && e.fields['messageId'] === lost.MessageId), 'the logged loss');
  });

  it('email-json: the confirmation and the messages are written to the server log', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'dev@example.com' }));
    // Sent after Subscribe answers (signing is done off the request), as SNS sends it.
    const isConfirmation = (e: LogEntry) => e.msg === 'SNS email-json subscription confirmation' && e.fields['to'] === 'dev@example.com';
    await waitFor(() => log.some(isConfirmation), 'the logged confirmation');
    const confirmation = log.find(isConfirmation);
    assert.ok(confirmation);
    const url = (confirmation.fields['message'] as Record<string, string>)['SubscribeURL']!;
    assert.equal((await fetch(url)).status, 200);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'you have mail' }));
    await waitFor(() => log.some((e) => e.msg === 'SNS email-json message' && (e.fields['message'] as Record<string, string>)['MessageId'] === MessageId), 'the logged message');
  });
});
