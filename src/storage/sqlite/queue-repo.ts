import type Database from 'better-sqlite3';
import { dedupKeyOf, type InsertResult, type NewMessage, type QueueCounts, type QueueRecord } from '../../services/sqs/model.js';
import { asReceived, parseQueue, splitReceived, toMessage, type MessageRow } from '../rows/queue-rows.js';
import type { QueueRepo, ReceiveResult, ReceiveSpec } from '../store.js';

/**
 * Queues as validated JSON records, messages as rows. Every multi-row change is one transaction;
 * better-sqlite3 is synchronous, so each method is atomic with respect to the event loop.
 */
export class SqliteQueueRepo implements QueueRepo {
  private readonly s;
  private readonly insertBatch: (messages: readonly NewMessage[], dedupSince: number) => InsertResult[];
  private readonly receiveBatch: (queue: string, spec: ReceiveSpec) => ReceiveResult;
  private readonly deleteBatch: (queue: string, handles: readonly { id: string; token: string }[]) => boolean[];
  private readonly visibilityBatch: (queue: string, now: number, changes: readonly { id: string; token: string; visibleAt: number }[]) => boolean[];
  private readonly moveBatch: (from: string, to: string, ids: readonly string[], now: number, source: string | null) => number;
  private readonly deleteQueueTx: (name: string) => boolean;

  constructor(db: Database.Database) {
    this.s = {
      getQueue: db.prepare<[string], { record: string }>('SELECT record FROM queues WHERE name = ?'),
      listQueues: db.prepare<[{ after: string; prefix: string; limit: number }], { record: string }>(
        'SELECT record FROM queues WHERE name > @after AND substr(name, 1, length(@prefix)) = @prefix ORDER BY name LIMIT @limit',
      ),
      insertQueue: db.prepare<[string, string]>('INSERT OR IGNORE INTO queues (name, record) VALUES (?, ?)'),
      updateQueue: db.prepare<[string, string]>('UPDATE queues SET record = ? WHERE name = ?'),
      deleteQueue: db.prepare<[string]>('DELETE FROM queues WHERE name = ?'),
      deleteQueueMessages: db.prepare<[string]>('DELETE FROM queue_messages WHERE queue = ?'),
      deleteQueueDedup: db.prepare<[string]>('DELETE FROM queue_dedup WHERE queue = ?'),
      // Positional parameters: binding them costs less than a named object built for each message.
      insertMessage: db.prepare<[string, string, string, string, string, string, string, number, number, string | null, string | null]>(
        `INSERT INTO queue_messages (queue, id, body, attributes, system_attributes, md5_body, sender_id, sent_at, visible_at, group_id, dedup_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      findDedup: db.prepare<[string, string, number], { message_id: string; seq: number }>(
        'SELECT message_id, seq FROM queue_dedup WHERE queue = ? AND dedup_id = ? AND sent_at > ?',
      ),
      putDedup: db.prepare<[string, string, string, number, number]>(
        'INSERT OR REPLACE INTO queue_dedup (queue, dedup_id, message_id, seq, sent_at) VALUES (?, ?, ?, ?, ?)',
      ),
      expireDedup: db.prepare<[number]>('DELETE FROM queue_dedup WHERE sent_at <= ?'),
      readyStandard: db.prepare<[string, number, number], MessageRow>(
        'SELECT * FROM queue_messages WHERE queue = ? AND visible_at <= ? ORDER BY visible_at, seq LIMIT ?',
      ),
      readyFifo: db.prepare<[{ queue: string; now: number; limit: number }], MessageRow>(
        `SELECT * FROM queue_messages m WHERE queue = @queue AND group_id IS NOT NULL AND visible_at <= @now
           AND NOT EXISTS (SELECT 1 FROM queue_messages f WHERE f.queue = @queue AND f.group_id = m.group_id
                           AND (f.visible_at > @now AND f.receive_count > 0 OR f.seq < m.seq AND f.visible_at > @now))
         ORDER BY seq LIMIT @limit`,
      ),
      // By rowid: the row was read in the same transaction, so no lookup through the id index.
      markReceived: db.prepare<[number, string, number, number]>(
        `UPDATE queue_messages SET visible_at = ?, receipt_token = ?, receive_count = receive_count + 1,
           first_received_at = COALESCE(first_received_at, ?) WHERE seq = ?`,
      ),
      move: db.prepare<[string, number, string | null, string, string]>(
        'UPDATE queue_messages SET queue = ?, visible_at = ?, receive_count = 0, receipt_token = NULL, dead_letter_source = ? WHERE id = ? AND queue = ?',
      ),
      moveAll: db.prepare<[string, number, string]>(
        'UPDATE queue_messages SET queue = ?, visible_at = ?, receive_count = 0, receipt_token = NULL, dead_letter_source = NULL WHERE queue = ?',
      ),
      moveAllFrom: db.prepare<[string, number, string, string]>(
        'UPDATE queue_messages SET queue = ?, visible_at = ?, receive_count = 0, receipt_token = NULL, dead_letter_source = NULL WHERE queue = ? AND dead_letter_source = ?',
      ),
      sources: db.prepare<[string], { dead_letter_source: string }>(
        'SELECT DISTINCT dead_letter_source FROM queue_messages WHERE queue = ? AND dead_letter_source IS NOT NULL',
      ),
      tokenOf: db.prepare<[string, string], { receipt_token: string | null }>('SELECT receipt_token FROM queue_messages WHERE id = ? AND queue = ?'),
      deleteMessage: db.prepare<[string, string, string]>('DELETE FROM queue_messages WHERE id = ? AND queue = ? AND receipt_token = ?'),
      changeVisibility: db.prepare<[number, string, string, string, number]>(
        'UPDATE queue_messages SET visible_at = ? WHERE id = ? AND queue = ? AND receipt_token = ? AND visible_at > ?',
      ),
      purge: db.prepare<[string, number]>('DELETE FROM queue_messages WHERE queue = ? AND sent_at <= ?'),
      counts: db.prepare<[number, number, number, string], { visible: number; in_flight: number; delayed: number; oldest: number | null }>(
        `SELECT COALESCE(SUM(visible_at <= ?), 0) AS visible,
                COALESCE(SUM(visible_at > ? AND receive_count > 0), 0) AS in_flight,
                COALESCE(SUM(visible_at > ? AND receive_count = 0), 0) AS delayed,
                MIN(sent_at) AS oldest
         FROM queue_messages WHERE queue = ?`,
      ),
      nextVisible: db.prepare<[string, number], { next: number | null }>(
        'SELECT MIN(visible_at) AS next FROM queue_messages WHERE queue = ? AND visible_at > ?',
      ),
    };

    this.insertBatch = db.transaction((messages: readonly NewMessage[], dedupSince: number) => {
      this.s.expireDedup.run(dedupSince);
      return messages.map((m): InsertResult => {
        const dedupKey = dedupKeyOf(m);
        if (dedupKey !== undefined) {
          const seen = this.s.findDedup.get(m.queue, dedupKey, dedupSince);
          if (seen) return { id: seen.message_id, seq: seen.seq, duplicate: true };
        }
        const seq = Number(
          this.s.insertMessage.run(
            m.queue,
            m.id,
            m.body,
            JSON.stringify(m.attributes),
            JSON.stringify(m.systemAttributes),
            m.md5OfBody,
            m.senderId,
            m.sentAt,
            m.visibleAt,
            m.groupId ?? null,
            m.deduplicationId ?? null,
          ).lastInsertRowid,
        );
        if (dedupKey !== undefined) this.s.putDedup.run(m.queue, dedupKey, m.id, seq, m.sentAt);
        return { id: m.id, seq, duplicate: false };
      });
    });
    this.receiveBatch = db.transaction((queue: string, spec: ReceiveSpec): ReceiveResult => {
      const { now, tokens, visibleAt, fifo, deadLetter } = spec;
      const rows = fifo ? this.s.readyFifo.all({ queue, now, limit: tokens.length }) : this.s.readyStandard.all(queue, now, tokens.length);
      const { live, dead } = splitReceived(rows.map(toMessage), tokens, deadLetter?.maxReceiveCount);
      for (const m of dead) this.s.move.run(deadLetter!.queue, now, deadLetter!.sourceArn, m.id, queue);
      for (const { message, token } of live) this.s.markReceived.run(visibleAt, token, now, message.seq);
      return { received: live.map(({ message, token }) => asReceived(message, now, visibleAt, token)), deadLettered: dead.length };
    });
    this.deleteBatch = db.transaction((queue: string, handles: readonly { id: string; token: string }[]) =>
      handles.map((h) => {
        if (this.s.deleteMessage.run(h.id, queue, h.token).changes === 1) return true;
        // Already deleted: success, as SQS. Re-received by someone else since: the stale handle deletes nothing.
        const row = this.s.tokenOf.get(h.id, queue);
        return row === undefined;
      }),
    );
    this.visibilityBatch = db.transaction((queue: string, now: number, changes: readonly { id: string; token: string; visibleAt: number }[]) =>
      changes.map((c) => this.s.changeVisibility.run(c.visibleAt, c.id, queue, c.token, now).changes === 1),
    );
    this.moveBatch = db.transaction((from: string, to: string, ids: readonly string[], now: number, source: string | null) => {
      let n = 0;
      for (const id of ids) n += this.s.move.run(to, now, source, id, from).changes;
      return n;
    });
    this.deleteQueueTx = db.transaction((name: string) => {
      this.s.deleteQueueMessages.run(name);
      this.s.deleteQueueDedup.run(name);
      return this.s.deleteQueue.run(name).changes === 1;
    });
  }

  async getQueue(name: string): Promise<QueueRecord | undefined> {
    const row = this.s.getQueue.get(name);
    return row ? parseQueue(row.record) : undefined;
  }

  async listQueues(prefix: string, after: string | undefined, limit: number): Promise<QueueRecord[]> {
    return this.s.listQueues.all({ after: after ?? '', prefix, limit }).map((r) => parseQueue(r.record));
  }

  async createQueue(queue: QueueRecord): Promise<boolean> {
    return this.s.insertQueue.run(queue.name, JSON.stringify(queue)).changes === 1;
  }

  async updateQueue(queue: QueueRecord): Promise<boolean> {
    return this.s.updateQueue.run(JSON.stringify(queue), queue.name).changes === 1;
  }

  async deleteQueue(name: string): Promise<boolean> {
    return this.deleteQueueTx(name);
  }

  async insertMessages(messages: readonly NewMessage[], dedupSince: number): Promise<InsertResult[]> {
    return messages.length === 0 ? [] : this.insertBatch(messages, dedupSince);
  }

  async receiveMessages(queue: string, spec: ReceiveSpec): Promise<ReceiveResult> {
    return spec.tokens.length === 0 ? { received: [], deadLettered: 0 } : this.receiveBatch(queue, spec);
  }

  async moveMessages(from: string, to: string, ids: readonly string[], now: number, deadLetterSourceArn: string | null): Promise<number> {
    return ids.length === 0 ? 0 : this.moveBatch(from, to, ids, now, deadLetterSourceArn);
  }

  async moveAllMessages(from: string, to: string, now: number, sourceArn?: string): Promise<number> {
    return (sourceArn === undefined ? this.s.moveAll.run(to, now, from) : this.s.moveAllFrom.run(to, now, from, sourceArn)).changes;
  }

  async deadLetterSources(queue: string): Promise<string[]> {
    return this.s.sources.all(queue).map((r) => r.dead_letter_source);
  }

  async deleteMessages(queue: string, handles: readonly { id: string; token: string }[]): Promise<boolean[]> {
    return handles.length === 0 ? [] : this.deleteBatch(queue, handles);
  }

  async changeVisibility(queue: string, now: number, changes: readonly { id: string; token: string; visibleAt: number }[]): Promise<boolean[]> {
    return changes.length === 0 ? [] : this.visibilityBatch(queue, now, changes);
  }

  async purge(queue: string, sentAtOrBefore: number): Promise<number> {
    return this.s.purge.run(queue, sentAtOrBefore).changes;
  }

  async counts(queue: string, now: number): Promise<QueueCounts> {
    const r = this.s.counts.get(now, now, now, queue)!;
    const c: QueueCounts = { visible: r.visible, inFlight: r.in_flight, delayed: r.delayed };
    if (r.oldest !== null) c.oldestSentAt = r.oldest;
    return c;
  }

  async nextVisibleAt(queue: string, now: number): Promise<number | undefined> {
    return this.s.nextVisible.get(queue, now)?.next ?? undefined;
  }
}
