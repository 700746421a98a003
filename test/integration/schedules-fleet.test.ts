/**
 * Exactly once across a fleet: two servers on one PostgreSQL store know a schedule; the one holding
 * the schedules lease fires it, each occurrence claimed in the store, so the target gets it once.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../src/lib/clock.js';
import { CREDENTIALS, startTestPlatform } from '../helpers/platform.js';
import { sqsClient } from '../helpers/sqs.js';
import { testSchema, testStoreKind } from '../helpers/test-store.js';

const MINUTE = 60_000;

describe('schedules across a fleet', () => {
  it('two servers on one store, one rate(1 minute) schedule: each occurrence reaches the queue once', { skip: testStoreKind() !== 'postgres' && 'a fleet shares a PostgreSQL store' }, async () => {
    const schema = await testSchema();
    const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);
    const a = await startTestPlatform({ store: schema.url, nodeId: 'a' }, undefined, { scheduleClock: clock });
    const sqs = sqsClient(a.platform.url);
    const scheduler = new SchedulerClient({ endpoint: a.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    let b: Awaited<ReturnType<typeof startTestPlatform>> | undefined;
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'fleet-runs' }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      await scheduler.send(
        new CreateScheduleCommand({
          Name: 'tick',
          ScheduleExpression: 'rate(1 minute)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: Attributes!['QueueArn']!, RoleArn: 'arn:aws:iam::000000000000:role/s', Input: '"<aws.scheduler.scheduled-time>"' },
        }),
      );
      // The second node finds the schedule in the store as it starts; it fires it only if it holds the lease.
      // A fleet shares its master key too, as it shares the store.
      b = await startTestPlatform({ store: schema.url, nodeId: 'b', masterKeyFile: join(a.dataDir, 'master.key') }, undefined, { scheduleClock: clock });
      const runs: string[] = [];
      for (let minute = 1; minute <= 3; minute++) {
        clock.advance(MINUTE);
        const end = Date.now() + 30_000;
        while (runs.length < minute && Date.now() < end) {
          clock.advance(0);
          const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
          runs.push(...(r.Messages ?? []).map((m: Message) => JSON.parse(m.Body!) as string));
        }
      }
      // Anything fired twice arrives beside the first copy: give it a moment, then count.
      const extra = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2 }));
      runs.push(...(extra.Messages ?? []).map((m) => JSON.parse(m.Body!) as string));
      const start = clock.now() - 3 * MINUTE;
      assert.deepEqual(runs.sort(), [1, 2, 3].map((k) => new Date(start + k * MINUTE).toISOString().replace('.000Z', 'Z')));
    } finally {
      scheduler.destroy();
      sqs.destroy();
      await b?.stop();
      await a.stop();
      await schema.drop();
    }
  });
});
