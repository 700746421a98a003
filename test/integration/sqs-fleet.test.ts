/**
 * Queues across nodes sharing a PostgreSQL store (#12 item 3): a long poll on one node is woken by a
 * send on another (the store's change signals), and two nodes receiving from one queue at once never
 * take the same message. Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite is skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { testSchema, type TestSchema } from '../helpers/test-store.js';

/** The long poll's own limit: a receive woken by the send answers long before it. */
const WAIT_S = 20;

describe('queues across nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let schema: TestSchema;
  const platforms: TestPlatform[] = [];
  const clients: SQSClient[] = [];
  after(async () => {
    clients.forEach((c) => c.destroy());
    for (const p of platforms) await p.stop().catch(() => undefined);
    await schema?.drop();
  });
  let masterKeyFile: string;
  const node = async (nodeId: string) => {
    // Every node of a fleet is given the same master key (the first node writes it).
    const p = await startTestPlatform({ store: schema.url, nodeId, prestartedRuntimes: 0, masterKeyFile });
    platforms.push(p);
    const sqs = new SQSClient({ endpoint: p.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    clients.push(sqs);
    return sqs;
  };

  it('wakes a long poll on one node with a send on another; never gives one message to two nodes', async () => {
    schema = await testSchema();
    masterKeyFile = join(mkdtempSync(join(tmpdir(), 'selfless-sqs-fleet-')), 'master.key');
    const [a, b] = [await node('sqs-a'), await node('sqs-b')];
    const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: 'across' }));

    const started = Date.now();
    const polling = b.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: WAIT_S }));
    // The poll is waiting on b before the send on a (b saw an empty queue): give it a moment to get there.
    await new Promise((r) => setTimeout(r, 500));
    await a.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello from a' }));
    const got = await polling;
    const waited = Date.now() - started;
    assert.deepEqual(got.Messages?.map((m) => m.Body), ['hello from a']);
    assert.ok(waited < (WAIT_S - 2) * 1000, `the poll ended at its own limit (${waited} ms), not at the send`);
    await b.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: got.Messages!.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));

    // 100 messages, received by both nodes at once until none is left: each body exactly once.
    for (let i = 0; i < 100; i += 10) {
      await a.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `m${i + j}` })) }));
    }
    const bodies: string[] = [];
    const drain = async (sqs: SQSClient) => {
      for (;;) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 300 }));
        if (!r.Messages?.length) return;
        bodies.push(...r.Messages.map((m) => m.Body!));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: r.Messages.map((m, k) => ({ Id: String(k), ReceiptHandle: m.ReceiptHandle! })) }));
      }
    };
    await Promise.all([drain(a), drain(b), drain(a), drain(b)]);
    assert.equal(bodies.length, 100, 'no message taken twice');
    assert.deepEqual([...new Set(bodies)].sort(), Array.from({ length: 100 }, (_, i) => `m${i}`).sort());
  });
});
