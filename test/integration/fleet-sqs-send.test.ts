/**
 * Sends across two nodes sharing a PostgreSQL store (#12 item 3): a node's sends read their queue's
 * record from a short cache, so an attribute change or a deletion made through the other node must
 * still reach them; concurrent FIFO batches through both nodes, with the same deduplication ids, store
 * each id once and answer both senders with the same message and sequence number.
 * Needs SELFLESS_TEST_POSTGRES_URL (CI sets it); without it the suite is skipped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type SendMessageBatchCommandOutput,
} from '@aws-sdk/client-sqs';
import { CREDENTIALS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { until } from '../helpers/poll.js';
import { testSchema, type TestSchema } from '../helpers/test-store.js';

describe('sends across two nodes', { skip: process.env['SELFLESS_TEST_POSTGRES_URL'] ? false : 'SELFLESS_TEST_POSTGRES_URL is not set' }, () => {
  let schema: TestSchema;
  const platforms: TestPlatform[] = [];
  const clients: SQSClient[] = [];
  let a: SQSClient;
  let b: SQSClient;

  before(async () => {
    schema = await testSchema();
    const masterKeyFile = join(mkdtempSync(join(tmpdir(), 'selfless-fleet-sqs-')), 'master.key');
    for (const [nodeId, host] of [['send-a', '127.0.0.2'], ['send-b', '127.0.0.3']] as const) {
      const p = await startTestPlatform({ host, store: schema.url, nodeId, prestartedRuntimes: 0, masterKeyFile });
      platforms.push(p);
      clients.push(new SQSClient({ endpoint: p.platform.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 }));
    }
    [a, b] = clients as [SQSClient, SQSClient];
  });

  after(async () => {
    clients.forEach((c) => c.destroy());
    for (const p of platforms) await p.stop().catch(() => undefined);
    await schema?.drop();
  });

  const outcome = (p: Promise<unknown>) => p.then(() => 'sent', (err: Error) => err.name);

  it('follows an attribute change and a deletion made through the other node', async () => {
    const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: 'shifting' }));
    const big = 'x'.repeat(2048);
    // Node b has read the queue for a send: its cache holds the record.
    assert.equal(await outcome(b.send(new SendMessageCommand({ QueueUrl, MessageBody: big }))), 'sent');

    await a.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '1024' } }));
    const refused = await until(() => outcome(b.send(new SendMessageCommand({ QueueUrl, MessageBody: big }))), (v) => v !== 'sent', 'node b applies the new limit');
    assert.equal(refused, 'InvalidParameterValue');

    await a.send(new DeleteQueueCommand({ QueueUrl }));
    const gone = await until(() => outcome(b.send(new SendMessageCommand({ QueueUrl, MessageBody: 'small' }))), (v) => v !== 'sent', 'node b sees the queue gone');
    assert.match(gone, /QueueDoesNotExist/);
  });

  it('stores each deduplication id of concurrent FIFO batches through both nodes once, with one sequence number', async () => {
    const { QueueUrl } = await a.send(new CreateQueueCommand({ QueueName: 'both.fifo', Attributes: { FifoQueue: 'true' } }));
    // Ten ids in two groups, sent through both nodes at once, each batch also repeating its first id.
    const entries = (round: number) => [
      ...Array.from({ length: 9 }, (_, i) => ({ Id: `e${i}`, MessageBody: `r${round}-m${i}`, MessageGroupId: `g${i % 2}`, MessageDeduplicationId: `r${round}-d${i}` })),
      { Id: 'again', MessageBody: `r${round}-again`, MessageGroupId: 'g0', MessageDeduplicationId: `r${round}-d0` },
    ];
    const answers: SendMessageBatchCommandOutput[][] = [];
    for (let round = 0; round < 5; round++) {
      answers.push(await Promise.all([a, b].map((c) => c.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries(round) })))));
    }
    const stored = new Map<string, { id: string; seq: string }>();
    for (const [round, pair] of answers.entries()) {
      for (const out of pair) {
        assert.deepEqual(out.Failed ?? [], []);
        const byEntry = new Map(out.Successful!.map((s) => [s.Id!, s]));
        assert.equal(byEntry.get('again')!.MessageId, byEntry.get('e0')!.MessageId, 'a repeat inside a batch names the first');
        for (let i = 0; i < 9; i++) {
          const s = byEntry.get(`e${i}`)!;
          const key = `r${round}-d${i}`;
          const seen = stored.get(key);
          if (seen === undefined) stored.set(key, { id: s.MessageId!, seq: s.SequenceNumber! });
          else assert.deepEqual({ id: s.MessageId, seq: s.SequenceNumber }, seen, `${key} answered the same through both nodes`);
        }
      }
    }
    assert.equal(stored.size, 45);

    // Each group's messages come back once each, in sequence-number order (received through b, deleted through a).
    const received: { body: string; group: string; seq: bigint }[] = [];
    for (;;) {
      const { Messages = [] } = await b.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300, MessageSystemAttributeNames: ['MessageGroupId', 'SequenceNumber'] }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) received.push({ body: m.Body!, group: m.Attributes!.MessageGroupId!, seq: BigInt(m.Attributes!.SequenceNumber!) });
      // Deleted, so that each group's next messages can be received.
      await a.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    assert.equal(received.length, 45);
    assert.equal(new Set(received.map((r) => r.body)).size, 45);
    for (const group of ['g0', 'g1']) {
      const seqs = received.filter((r) => r.group === group).map((r) => r.seq);
      assert.deepEqual(seqs, [...seqs].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), `${group} in sequence order`);
    }
  });
});
