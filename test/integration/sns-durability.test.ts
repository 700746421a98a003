/** An HTTP delivery waiting for a retry survives a restart of the server, then ends in the DLQ. */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfirmSubscriptionCommand, CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { ManualClock } from '../../src/lib/clock.js';
import { startTestPlatform, waitFor, type TestPlatform } from '../helpers/platform.js';
import { createQueue, receive, snsClient } from '../helpers/sns.js';
import { sqsClient } from '../helpers/sqs.js';

describe('SNS HTTP deliveries across a restart', () => {
  const attempts: number[] = [];
  let token = '';
  let server: Server;
  let endpoint = '';
  let clock = new ManualClock();

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const m = JSON.parse(body) as Record<string, string>;
        if (m['Type'] === 'SubscriptionConfirmation') token = m['Token']!;
        else {
          attempts.push(clock.now());
          res.statusCode = 503;
        }
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => new Promise((r) => server.close(r)));

  it('resumes at the next retry after the restart and sends the message to the DLQ when retries run out', async () => {
    let t: TestPlatform = await startTestPlatform({}, undefined, { clock });
    const dataDir = t.dataDir;
    let sns = snsClient(t.platform.url);
    let sqs = sqsClient(t.platform.url);
    const dlq = await createQueue(sqs, 'restart-dlq');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'restart' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) } }));
    await waitFor(() => token !== '', 'the confirmation request');
    await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'outlives the server' }));
    await waitFor(() => attempts.length === 1, 'the first attempt');
    // The first failure is recorded before its retry is scheduled; stopping cancels the wait, not the delivery.
    for (let i = 0; i < 3000 && attempts.length < 2; i++) {
      clock.advance(20_000);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(attempts.length, 2);
    sns.destroy();
    sqs.destroy();
    await t.stop(false);

    clock = new ManualClock(clock.now());
    t = await startTestPlatform({}, dataDir, { clock });
    try {
      sns = snsClient(t.platform.url);
      sqs = sqsClient(t.platform.url);
      for (let i = 0; i < 3000 && attempts.length < 4; i++) {
        clock.advance(20_000);
        await new Promise((r) => setTimeout(r, 20));
      }
      const [dead] = await receive(sqs, dlq.url, 1, 0);
      assert.equal(attempts.length, 4, 'the attempts made before the restart count towards the retries');
      assert.equal((JSON.parse(dead!.Body!) as Record<string, string>)['MessageId'], MessageId);
    } finally {
      sns.destroy();
      sqs.destroy();
      await t.stop();
    }
  });
});
