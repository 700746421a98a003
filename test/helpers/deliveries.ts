/**
 * Counts deliveries per id from the queue the `deliveries` fixture writes to (one message per id
 * delivered), for fleet tests that check each event or record is delivered once.
 */
import assert from 'node:assert/strict';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

const DEADLINE_MS = 120_000;

export class Deliveries {
  /** How many times each id was delivered so far. */
  readonly counts = new Map<string, number>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  /** Receives (and deletes) what has arrived, waiting up to `waitSeconds` for something; how many messages came. */
  async receive(waitSeconds = 1): Promise<number> {
    const r = await this.sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));
    const got = r.Messages ?? [];
    for (const m of got) this.counts.set(m.Body!, (this.counts.get(m.Body!) ?? 0) + 1);
    if (got.length > 0) {
      await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: got.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    return got.length;
  }

  /** Receives until every id in `ids` has been delivered (a generous deadline). */
  async until(ids: readonly string[], what: string): Promise<void> {
    const end = Date.now() + DEADLINE_MS;
    while (ids.some((id) => !this.counts.has(id))) {
      if (Date.now() > end) assert.fail(`${what}: never delivered ${ids.filter((id) => !this.counts.has(id)).join(', ')}`);
      await this.receive();
    }
  }

  /** Receives until the queue has stayed empty for one long poll of `quietSeconds` (a second delivery would come meanwhile). */
  async settle(quietSeconds = 5): Promise<void> {
    while ((await this.receive(quietSeconds)) > 0);
  }

  /** Ids delivered more than once. */
  twice(): string[] {
    return [...this.counts].filter(([, n]) => n > 1).map(([id]) => id);
  }
}
