/** A Scheduler cron() schedule in New York across the spring-forward of 2026-03-08, on the test clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, startTestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';

const HOUR = 3_600_000;

describe('Scheduler across a daylight-saving change', () => {
  it('cron(30 2 * * ? *) in America/New_York: no run on the day 02:30 does not exist, then 02:30 EDT', async () => {
    // Noon UTC on 2026-03-06: two days before US clocks spring forward.
    const clock = new ManualClock(Date.UTC(2026, 2, 6, 12));
    const t = await startTestPlatform({}, undefined, { scheduleClock: clock });
    const sqs = sqsClient(t.platform.url);
    const scheduler = new SchedulerClient({ endpoint: t.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dst-runs' }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await scheduler.send(
        new CreateScheduleCommand({
          Name: 'nightly',
          ScheduleExpression: 'cron(30 2 * * ? *)',
          ScheduleExpressionTimezone: 'America/New_York',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: Attributes!['QueueArn']!, RoleArn: 'arn:aws:iam::000000000000:role/s', Input: '"<aws.scheduler.scheduled-time>"' },
        }),
      );
      const runs: string[] = [];
      // Four days, an hour at a time; after each hour, collect what ran (timers armed late run at advance(0)).
      for (let h = 0; h < 96; h++) {
        clock.advance(HOUR);
        clock.advance(0);
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        runs.push(...(r.Messages ?? []).map((m) => JSON.parse(m.Body!) as string));
      }
      const end = Date.now() + 30_000;
      while (runs.length < 3 && Date.now() < end) {
        clock.advance(0);
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        runs.push(...(r.Messages ?? []).map((m) => JSON.parse(m.Body!) as string));
      }
      // 2026-03-07 02:30 EST is 07:30Z; 2026-03-08 has no 02:30; from 2026-03-09 02:30 EDT is 06:30Z.
      assert.deepEqual(runs.sort(), ['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']);
    } finally {
      scheduler.destroy();
      sqs.destroy();
      await t.stop();
    }
  });
});
