/**
 * Schedules across a fleet (#16 item 3): the node holding the `schedules` lease fires them. A
 * Scheduler schedule and a scheduled rule created on the holder still fire once after that node is
 * killed with SIGKILL (the node taking the lease loads them from the store), and a schedule created
 * on a node that does not hold the lease is fired once by the holder. Real time (`at()` a few seconds
 * ahead, the rule's first minute): nodes' scaled clocks would not agree.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite says so and is skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { sqsClient } from '../helpers/sqs.js';
import { testSchema, type TestSchema } from '../helpers/test-store.js';
import { until } from '../helpers/poll.js';

const DEAD_AFTER_S = 3;
const DEADLINE_MS = 90_000;
const LEASE = 'schedules';

interface NodesView {
  Leases: { Name: string; Holder: string }[];
}

const holderAt = async (url: string): Promise<string | undefined> =>
  ((await (await fetch(`${url}/_selfless/nodes`)).json()) as NodesView).Leases.find((l) => l.Name === LEASE)?.Holder;

/** `at()` this many seconds from now, in UTC (Scheduler's form, to the second). */
const atIn = (seconds: number): string => `at(${new Date(Date.now() + seconds * 1000).toISOString().slice(0, 19)})`;

const scheduler = (url: string) => new SchedulerClient({ endpoint: url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });

describe('schedules when the node running them dies', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let schema: TestSchema;
  let c: ServerProcess | undefined;
  const platforms: TestPlatform[] = [];
  after(async () => {
    c?.kill();
    for (const p of platforms) await p.stop().catch(() => undefined);
    await schema?.drop();
  });

  it('a schedule created on the holder fires once after it is killed; one created on a node without the lease fires once', async () => {
    schema = await testSchema();
    const cDir = mkdtempSync(join(tmpdir(), 'selfless-node-c-'));
    c = await startServerProcess(cDir, ['--store', schema.url, '--node-id', 'c', '--node-dead-after', String(DEAD_AFTER_S), '--prestarted-runtimes', '0']);
    await until(() => holderAt(c!.url), (h) => h === 'c', 'the first node takes the schedules lease');
    const node = async (nodeId: string) => {
      const p = await startTestPlatform({ store: schema.url, nodeId, nodeDeadAfterMs: DEAD_AFTER_S * 1000, prestartedRuntimes: 0, masterKeyFile: join(cDir, 'master.key') });
      platforms.push(p);
      return p;
    };
    const a = await node('a');
    const b = await node('b');
    const sqs = sqsClient(a.platform.url);
    const clients = [sqs];
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'failover-runs' }));
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const create = async (url: string, name: string, expression: string) => {
        const client = scheduler(url);
        try {
          await client.send(
            new CreateScheduleCommand({
              Name: name,
              ScheduleExpression: expression,
              FlexibleTimeWindow: { Mode: 'OFF' },
              Target: { Arn: Attributes!['QueueArn']!, RoleArn: 'arn:aws:iam::000000000000:role/s', Input: JSON.stringify(name) },
            }),
          );
        } finally {
          client.destroy();
        }
      };

      // Created on c, which holds the lease; a and b started before it and never heard of it.
      // Far enough ahead that a live node has taken the lease when it is due.
      await create(c.url, 'made-on-the-holder', atIn(30));
      const eb = new EventBridgeClient({ endpoint: c.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
      try {
        await eb.send(new PutRuleCommand({ Name: 'rule-on-the-holder', ScheduleExpression: 'rate(1 minute)' }));
        await eb.send(new PutTargetsCommand({ Rule: 'rule-on-the-holder', Targets: [{ Id: 'q', Arn: Attributes!['QueueArn']!, Input: JSON.stringify('rule-on-the-holder') }] }));
      } finally {
        eb.destroy();
      }
      c.kill('SIGKILL');
      const holder = await until(() => holderAt(a.platform.url), (h) => h === 'a' || h === 'b', 'a live node takes the schedules lease');
      const runs = await receive(sqs, QueueUrl!, 1);
      assert.deepEqual(runs, ['made-on-the-holder']);

      // Created on the node without the lease: the holder loads it from the store and fires it.
      const other = holder === 'a' ? b : a;
      await create(other.platform.url, 'made-on-a-follower', atIn(12));
      // And the rule's first occurrence, a minute after it was put.
      runs.push(...(await receive(sqs, QueueUrl!, 2)));
      assert.deepEqual(runs.sort(), ['made-on-a-follower', 'made-on-the-holder', 'rule-on-the-holder']);

      // A second firing of either would arrive beside the first: give it a moment, then count.
      const extra = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 5 }));
      assert.deepEqual(extra.Messages ?? [], []);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

/** Receives and deletes `count` messages (their JSON bodies), waiting for them up to the deadline. */
async function receive(sqs: SQSClient, queueUrl: string, count: number): Promise<string[]> {
  const got: string[] = [];
  const end = Date.now() + DEADLINE_MS;
  while (got.length < count && Date.now() < end) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of r.Messages ?? []) {
      got.push(JSON.parse(m.Body!) as string);
      // Left in the queue, it would come back once its visibility timeout ends, like a second firing.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
  return got;
}
