import { dedupKeyOf, type InsertResult, type NewMessage, type QueueCounts, type QueueRecord } from '../../services/sqs/model.js';
import { asReceived, parseQueue, splitReceived, toMessage, type MessageRow } from '../rows/queue-rows.js';
import type { QueueRepo, ReceiveResult, ReceiveSpec } from '../store.js';
import { changed, LockSpace, lock, transaction, type Db, type Queryable } from './db.js';

// Claims skip rows another receive holds: concurrent receives, on this node or another, take
// different messages, and the second never waits for the first.
const READY_STANDARD = 'SELECT * FROM queue_messages WHERE queue = $1 AND visible_at <= $2 ORDER BY visible_at, seq LIMIT $3 FOR UPDATE SKIP LOCKED';
// Skipping locked rows is not enough for FIFO (a receive could take a group's next message while
// another takes its first): receives of one FIFO queue also hold the queue's advisory lock.
const READY_FIFO = `SELECT * FROM queue_messages m WHERE queue = $1 AND m.group_id IS NOT NULL AND visible_at <= $2
    AND NOT EXISTS (SELECT 1 FROM queue_messages f WHERE f.queue = $1 AND f.group_id = m.group_id
                    AND (f.visible_at > $2 AND f.receive_count > 0 OR f.seq < m.seq AND f.visible_at > $2))
  ORDER BY seq LIMIT $3 FOR UPDATE OF m SKIP LOCKED`;
/*
 * Statements that find messages by id look them up through the id's own unique index, then check the
 * queue as a filter no index serves: `IS NOT DISTINCT FROM`, which is equality on this NOT NULL column.
 * Written `queue = $n`, the planner may scan the queue's index instead, choosing by its statistics: a
 * queue created since the table was last analysed looks empty to it, and each lookup then read every
 * message of that queue (50–90 ms a call at 27,000 messages, seen in bench/fleet.mjs).
 */
/** Marks the messages a receive claimed (rows it holds locked in its transaction). */
const MARK_RECEIVED = `UPDATE queue_messages m SET visible_at = $2, receipt_token = r.token, receive_count = m.receive_count + 1,
     first_received_at = COALESCE(m.first_received_at, $3)
   FROM unnest($4::text[], $5::text[]) AS r(id, token) WHERE m.id = r.id AND m.queue IS NOT DISTINCT FROM $1`;
/** Deletes by receipt handle; answers, in the handles' order, whether each is gone (deleted now or before). */
const DELETE_BY_HANDLE = `WITH h AS (SELECT * FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS h(id, token, i)),
      d AS (DELETE FROM queue_messages m USING h WHERE m.id = h.id AND m.receipt_token = h.token AND m.queue IS NOT DISTINCT FROM $1 RETURNING m.id)
  SELECT (h.id IN (SELECT id FROM d) OR NOT EXISTS (SELECT 1 FROM queue_messages x WHERE x.id = h.id AND x.queue IS NOT DISTINCT FROM $1)) AS ok
  FROM h ORDER BY h.i`;
const MOVE = `UPDATE queue_messages SET queue = $1, visible_at = $2, receive_count = 0, receipt_token = NULL, dead_letter_source = $3
  WHERE id = ANY($5::text[]) AND queue IS NOT DISTINCT FROM $4`;
const CHANGE_VISIBILITY = 'UPDATE queue_messages SET visible_at = $1 WHERE id = $2 AND queue IS NOT DISTINCT FROM $3 AND receipt_token = $4 AND visible_at > $5';
/** The statements above, for the test that checks their plans. */
export const LOOKUPS_BY_ID = { MARK_RECEIVED, DELETE_BY_HANDLE, MOVE, CHANGE_VISIBILITY } as const;
const MESSAGE_COLUMNS = 'queue, id, body, attributes, system_attributes, md5_body, sender_id, sent_at, visible_at, group_id, dedup_id';

/** Queues as validated JSON records, messages as rows. Every multi-row change is one transaction or one statement. */
export class PostgresQueueRepo implements QueueRepo {
  constructor(private readonly db: Db) {}

  async getQueue(name: string): Promise<QueueRecord | undefined> {
    const { rows } = await this.db.query<{ record: string }>('SELECT record FROM queues WHERE name = $1', [name]);
    return rows[0] ? parseQueue(rows[0].record) : undefined;
  }

  async listQueues(prefix: string, after: string | undefined, limit: number): Promise<QueueRecord[]> {
    const { rows } = await this.db.query<{ record: string }>(
      'SELECT record FROM queues WHERE name > $1 AND left(name, length($2)) = $2 ORDER BY name LIMIT $3',
      [after ?? '', prefix, limit],
    );
    return rows.map((r) => parseQueue(r.record));
  }

  async createQueue(queue: QueueRecord): Promise<boolean> {
    return changed(await this.db.query('INSERT INTO queues (name, record) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [queue.name, JSON.stringify(queue)])) === 1;
  }

  async updateQueue(queue: QueueRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE queues SET record = $1 WHERE name = $2', [JSON.stringify(queue), queue.name])) === 1;
  }

  async deleteQueue(name: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM queue_messages WHERE queue = $1', [name]);
      await tx.query('DELETE FROM queue_dedup WHERE queue = $1', [name]);
      return changed(await tx.query('DELETE FROM queues WHERE name = $1', [name])) === 1;
    });
  }

  async insertMessages(messages: readonly NewMessage[], dedupSince: number): Promise<InsertResult[]> {
    if (messages.length === 0) return [];
    const ordered = [...new Set(messages.filter((m) => m.groupId !== undefined || m.deduplicationId !== undefined).map((m) => m.queue))].sort();
    if (ordered.length === 0) return this.insertUnordered(messages);
    return transaction(this.db, async (tx) => {
      // Locks taken in one order (sorted names), so two batches cannot deadlock.
      for (const queue of ordered) await lock(tx, LockSpace.orderedSend, queue);
      await tx.query('DELETE FROM queue_dedup WHERE queue = ANY($1::text[]) AND sent_at <= $2', [ordered, dedupSince]);
      return insertOrdered(tx, messages, dedupSince);
    });
  }

  /** Messages of standard queues: one statement for the whole batch. */
  private async insertUnordered(messages: readonly NewMessage[]): Promise<InsertResult[]> {
    const seqs = await insertRows(this.db, messages);
    return messages.map((m, i) => ({ id: m.id, seq: seqs[i]!, duplicate: false }));
  }

  async receiveMessages(queue: string, spec: ReceiveSpec): Promise<ReceiveResult> {
    const { now, tokens, visibleAt, fifo, deadLetter } = spec;
    if (tokens.length === 0) return { received: [], deadLettered: 0 };
    return transaction(this.db, async (tx) => {
      if (fifo) await lock(tx, LockSpace.fifoReceive, queue);
      const { rows } = await tx.query<MessageRow>(fifo ? READY_FIFO : READY_STANDARD, [queue, now, tokens.length]);
      const { live, dead } = splitReceived(rows.map(toMessage), tokens, deadLetter?.maxReceiveCount);
      if (dead.length > 0) await tx.query(MOVE, [deadLetter!.queue, now, deadLetter!.sourceArn, queue, dead.map((m) => m.id)]);
      if (live.length > 0) {
        await tx.query(MARK_RECEIVED, [queue, visibleAt, now, live.map((l) => l.message.id), live.map((l) => l.token)]);
      }
      return { received: live.map(({ message, token }) => asReceived(message, now, visibleAt, token)), deadLettered: dead.length };
    });
  }

  async moveMessages(from: string, to: string, ids: readonly string[], now: number, deadLetterSourceArn: string | null): Promise<number> {
    if (ids.length === 0) return 0;
    return changed(await this.db.query(MOVE, [to, now, deadLetterSourceArn, from, ids]));
  }

  async moveAllMessages(from: string, to: string, now: number, sourceArn?: string): Promise<number> {
    const set = 'UPDATE queue_messages SET queue = $1, visible_at = $2, receive_count = 0, receipt_token = NULL, dead_letter_source = NULL WHERE queue = $3';
    const r = sourceArn === undefined ? await this.db.query(set, [to, now, from]) : await this.db.query(`${set} AND dead_letter_source = $4`, [to, now, from, sourceArn]);
    return changed(r);
  }

  async deadLetterSources(queue: string): Promise<string[]> {
    const { rows } = await this.db.query<{ s: string }>(
      'SELECT DISTINCT dead_letter_source AS s FROM queue_messages WHERE queue = $1 AND dead_letter_source IS NOT NULL',
      [queue],
    );
    return rows.map((r) => r.s);
  }

  async deleteMessages(queue: string, handles: readonly { id: string; token: string }[]): Promise<boolean[]> {
    if (handles.length === 0) return [];
    // One statement: the DELETE and the look for messages already gone. A message re-received by
    // someone else since has a new token: the stale handle deletes nothing and answers false.
    const { rows } = await this.db.query<{ ok: boolean }>(DELETE_BY_HANDLE, [queue, handles.map((h) => h.id), handles.map((h) => h.token)]);
    return rows.map((r) => r.ok);
  }

  async changeVisibility(queue: string, now: number, changes: readonly { id: string; token: string; visibleAt: number }[]): Promise<boolean[]> {
    if (changes.length === 0) return [];
    return transaction(this.db, async (tx) => {
      const done: boolean[] = [];
      for (const c of changes) {
        const r = await tx.query(CHANGE_VISIBILITY, [
          c.visibleAt,
          c.id,
          queue,
          c.token,
          now,
        ]);
        done.push(changed(r) === 1);
      }
      return done;
    });
  }

  async purge(queue: string, sentAtOrBefore: number): Promise<number> {
    return changed(await this.db.query('DELETE FROM queue_messages WHERE queue = $1 AND sent_at <= $2', [queue, sentAtOrBefore]));
  }

  async counts(queue: string, now: number): Promise<QueueCounts> {
    const { rows } = await this.db.query<{ visible: number; in_flight: number; delayed: number; oldest: number | null }>(
      `SELECT COUNT(*) FILTER (WHERE visible_at <= $2)::int AS visible,
              COUNT(*) FILTER (WHERE visible_at > $2 AND receive_count > 0)::int AS in_flight,
              COUNT(*) FILTER (WHERE visible_at > $2 AND receive_count = 0)::int AS delayed,
              MIN(sent_at) AS oldest
       FROM queue_messages WHERE queue = $1`,
      [queue, now],
    );
    const r = rows[0]!;
    const c: QueueCounts = { visible: r.visible, inFlight: r.in_flight, delayed: r.delayed };
    if (r.oldest !== null) c.oldestSentAt = r.oldest;
    return c;
  }

  async nextVisibleAt(queue: string, now: number): Promise<number | undefined> {
    const { rows } = await this.db.query<{ next: number | null }>('SELECT MIN(visible_at) AS next FROM queue_messages WHERE queue = $1 AND visible_at > $2', [queue, now]);
    return rows[0]?.next ?? undefined;
  }
}

/**
 * A batch with FIFO messages, under their queues' locks, in three statements whatever its size: the
 * deduplication ids already seen, the new messages (sequence numbers in the batch's order), their ids
 * recorded. A duplicate within the window, in the store or earlier in the batch, names the original.
 */
async function insertOrdered(tx: Queryable, messages: readonly NewMessage[], dedupSince: number): Promise<InsertResult[]> {
  const keyed = messages.flatMap((m) => {
    const key = dedupKeyOf(m);
    return key === undefined ? [] : [{ queue: m.queue, key }];
  });
  const seen = new Map<string, { id: string; seq: number } | NewMessage>();
  const slot = (queue: string, key: string) => `${queue}\u0000${key}`;
  if (keyed.length > 0) {
    const { rows } = await tx.query<{ queue: string; dedup_id: string; message_id: string; seq: number }>(
      `SELECT d.queue, d.dedup_id, d.message_id, d.seq FROM queue_dedup d
       JOIN unnest($1::text[], $2::text[]) AS k(queue, dedup_id) ON d.queue = k.queue AND d.dedup_id = k.dedup_id
       WHERE d.sent_at > $3`,
      [keyed.map((k) => k.queue), keyed.map((k) => k.key), dedupSince],
    );
    for (const r of rows) seen.set(slot(r.queue, r.dedup_id), { id: r.message_id, seq: r.seq });
  }
  // In the batch's order: the first message with a key is new, any later one with that key is its duplicate.
  const fresh: NewMessage[] = [];
  const originals: ({ id: string; seq: number } | NewMessage | undefined)[] = messages.map((m) => {
    const key = dedupKeyOf(m);
    if (key !== undefined) {
      const original = seen.get(slot(m.queue, key));
      if (original !== undefined) return original;
      seen.set(slot(m.queue, key), m);
    }
    fresh.push(m);
    return undefined;
  });
  const seqs = await insertRows(tx, fresh);
  const seqOf = new Map(fresh.map((m, i) => [m, seqs[i]!]));
  const stored = fresh.filter((m) => dedupKeyOf(m) !== undefined);
  if (stored.length > 0) {
    await tx.query(
      `INSERT INTO queue_dedup (queue, dedup_id, message_id, seq, sent_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
       ON CONFLICT (queue, dedup_id) DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, sent_at = excluded.sent_at`,
      [stored.map((m) => m.queue), stored.map((m) => dedupKeyOf(m)!), stored.map((m) => m.id), stored.map((m) => seqOf.get(m)!), stored.map((m) => m.sentAt)],
    );
  }
  return messages.map((m, i) => {
    const original = originals[i];
    if (original === undefined) return { id: m.id, seq: seqOf.get(m)!, duplicate: false };
    if ('seq' in original) return { id: original.id, seq: original.seq, duplicate: true };
    return { id: original.id, seq: seqOf.get(original)!, duplicate: true };
  });
}

/** Inserts messages in one statement; their sequence numbers follow the order given. */
async function insertRows(q: Queryable, messages: readonly NewMessage[]): Promise<number[]> {
  if (messages.length === 0) return [];
  const { rows } = await q.query<{ id: string; seq: number }>(
    `INSERT INTO queue_messages (${MESSAGE_COLUMNS})
     SELECT queue, id, body, attributes, system_attributes, md5_body, sender_id, sent_at, visible_at, group_id, dedup_id
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $10::text[], $11::text[])
       WITH ORDINALITY AS u(queue, id, body, attributes, system_attributes, md5_body, sender_id, sent_at, visible_at, group_id, dedup_id, i)
     ORDER BY i
     RETURNING id, seq`,
    [
      messages.map((m) => m.queue),
      messages.map((m) => m.id),
      messages.map((m) => m.body),
      messages.map((m) => JSON.stringify(m.attributes)),
      messages.map((m) => JSON.stringify(m.systemAttributes)),
      messages.map((m) => m.md5OfBody),
      messages.map((m) => m.senderId),
      messages.map((m) => m.sentAt),
      messages.map((m) => m.visibleAt),
      messages.map((m) => m.groupId ?? null),
      messages.map((m) => m.deduplicationId ?? null),
    ],
  );
  const seqs = new Map(rows.map((r) => [r.id, Number(r.seq)]));
  return messages.map((m) => seqs.get(m.id)!);
}
