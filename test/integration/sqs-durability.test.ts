import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { spawnServe, sqsClient, type ServeProcess } from '../helpers/sqs.js';

const body = (i: number) => `message ${i} · ünïcode ✓ ${'x'.repeat(i % 50)}`;

describe('queue durability across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'selfless-sqs-crash-'));
  const servers: ServeProcess[] = [];
  const clients: SQSClient[] = [];
  after(async () => {
    for (const c of clients) c.destroy();
    for (const s of servers) await s.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message exactly as sent, never brings back a deleted one, and redelivers in-flight ones', async () => {
    const first = await spawnServe(dataDir);
    servers.push(first);
    const sqs = sqsClient(first.url);
    clients.push(sqs);
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'durable' }))).QueueUrl!;

    const acked = new Map<string, number>(); // message id -> i
    const deleted = new Set<string>();
    const inFlight = new Set<string>();
    let next = 0;
    let killed = false;
    let killing: Promise<void> | undefined;

    // 16 concurrent senders, so that the server commits concurrent sends together.
    const sender = async () => {
      while (!killed) {
        const i = next++;
        try {
          const res = await sqs.send(
            new SendMessageCommand({ QueueUrl, MessageBody: body(i), MessageAttributes: { i: { DataType: 'Number', StringValue: String(i) } } }),
          );
          if (!killed) acked.set(res.MessageId!, i);
        } catch {
          return; // the server died with this send unanswered: it may or may not be stored
        }
        if (acked.size >= 400 && !killed) {
          killed = true;
          killing = first.kill();
        }
      }
    };
    const consumer = async () => {
      // Deletes some and leaves some in flight (visibility 2 s) while sends go on.
      while (!killed && acked.size < 300) {
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 2, WaitTimeSeconds: 1 })).catch(() => undefined);
        const messages = got?.Messages ?? [];
        const toDelete = messages.filter((_, k) => k % 2 === 0);
        for (const m of messages.filter((_, k) => k % 2 === 1)) inFlight.add(m.MessageId!);
        if (toDelete.length === 0) continue;
        const res = await sqs
          .send(new DeleteMessageBatchCommand({ QueueUrl, Entries: toDelete.map((m, k) => ({ Id: `d${k}`, ReceiptHandle: m.ReceiptHandle! })) }))
          .catch(() => undefined);
        for (const ok of res?.Successful ?? []) deleted.add(toDelete[Number(ok.Id!.slice(1))]!.MessageId!);
      }
    };
    await Promise.all([...Array.from({ length: 16 }, sender), consumer()]);
    await killing;
    assert.ok(acked.size >= 400);
    assert.ok(deleted.size > 0, 'the consumer deleted some messages before the crash');

    const second = await spawnServe(dataDir);
    servers.push(second);
    const again = sqsClient(second.url);
    clients.push(again);
    const expected = new Set([...acked.keys()].filter((id) => !deleted.has(id)));
    const seen = new Map<string, Message>();
    let empty = 0;
    while ([...expected].some((id) => !seen.has(id)) && empty < 3) {
      const got = await again.send(
        new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, WaitTimeSeconds: 5, MessageAttributeNames: ['All'] }),
      );
      if (!got.Messages) empty++;
      for (const m of got.Messages ?? []) {
        assert.ok(!seen.has(m.MessageId!), 'no duplicate within the visibility timeout');
        seen.set(m.MessageId!, m);
      }
    }
    for (const id of expected) {
      const m = seen.get(id);
      assert.ok(m, `acknowledged message ${id} survived the crash`);
      const i = acked.get(id)!;
      assert.equal(m.Body, body(i));
      assert.equal(m.MessageAttributes?.['i']?.StringValue, String(i));
    }
    for (const id of deleted) assert.ok(!seen.has(id), `deleted message ${id} never comes back`);
    assert.ok([...inFlight].some((id) => !deleted.has(id) && seen.has(id)), 'in-flight messages became visible again after their timeout');
  });
});
