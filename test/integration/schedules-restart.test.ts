/** Exactly once across a restart: occurrences missed while the server was down are skipped and counted, none fires twice. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

const MINUTE = 60_000;

describe('schedules across a restart', () => {
  it('a rate(1 minute) schedule: fired occurrences stay fired, missed ones are skipped, then it goes on', async () => {
    const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);
    let t: TestPlatform = await startTestPlatform({}, undefined, { scheduleClock: clock });
    const dataDir = t.dataDir;
    const client = (url: string) => new SchedulerClient({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

    async function receive(url: string, count: number): Promise<Message[]> {
      const sqs = sqsClient(t.platform.url);
      try {
        const got: Message[] = [];
        const end = Date.now() + 60_000;
        while (got.length < count && Date.now() < end) {
          clock.advance(0);
          const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          got.push(...(r.Messages ?? []));
        }
        assert.equal(got.length, count);
        return got;
      } finally {
        sqs.destroy();
      }
    }

    try {
      const sqs = sqsClient(t.platform.url);
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'restart-runs' }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      sqs.destroy();
      const scheduler = client(t.platform.url);
      await scheduler.send(
        new CreateScheduleCommand({
          Name: 'tick',
          ScheduleExpression: 'rate(1 minute)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: Attributes!['QueueArn']!, RoleArn: 'arn:aws:iam::000000000000:role/s', Input: '"<aws.scheduler.scheduled-time>"' },
        }),
      );
      scheduler.destroy();
      const created = clock.now();
      clock.advance(MINUTE);
      const [first] = await receive(QueueUrl!, 1);
      assert.equal(JSON.parse(first!.Body!), new Date(created + MINUTE).toISOString().replace('.000Z', 'Z'));
      await t.stop(false);

      // Down for three and a half minutes: the occurrences at +2, +3 and +4 minutes are missed.
      clock.advance(3.5 * MINUTE);
      t = await startTestPlatform({}, dataDir, { scheduleClock: clock });
      const admin = (await (await fetch(`${t.platform.url}/_selfless/schedules`)).json()) as { Schedules: { Name: string; Fired: number; Skipped: number; NextFireTime: string }[] };
      const tick = admin.Schedules.find((s) => s.Name === 'default/tick')!;
      assert.deepEqual([tick.Fired, tick.Skipped, tick.NextFireTime], [1, 3, new Date(created + 5 * MINUTE).toISOString()]);
      clock.advance(MINUTE);
      const [next] = await receive(QueueUrl!, 1);
      assert.equal(JSON.parse(next!.Body!), new Date(created + 5 * MINUTE).toISOString().replace('.000Z', 'Z'));
    } finally {
      await t.stop();
    }
  });
});
