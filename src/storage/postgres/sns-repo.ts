import { PendingDeliverySchema, SubscriptionRecordSchema, TopicRecordSchema, type PendingDelivery, type SubscriptionRecord, type TopicRecord } from '../../services/sns/model.js';
import type { SnsRepo } from '../store.js';
import { changed, transaction, type Db } from './db.js';

type Row = { record: string };

const topic = (row: Row): TopicRecord => TopicRecordSchema.parse(JSON.parse(row.record));
const subscription = (row: Row): SubscriptionRecord => SubscriptionRecordSchema.parse(JSON.parse(row.record));
// An empty string sorts before every ARN (the columns collate as "C"): "strictly after nothing" is the whole list.
const from = (after: string | undefined) => after ?? '';

export class PostgresSnsRepo implements SnsRepo {
  constructor(private readonly db: Db) {}

  async createTopic(record: TopicRecord): Promise<TopicRecord> {
    await this.db.query('INSERT INTO sns_topics (arn, record) VALUES ($1, $2) ON CONFLICT (arn) DO NOTHING', [record.arn, JSON.stringify(record)]);
    return (await this.getTopic(record.arn))!;
  }

  async getTopic(arn: string): Promise<TopicRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM sns_topics WHERE arn = $1', [arn]);
    return rows[0] ? topic(rows[0]) : undefined;
  }

  async updateTopic(record: TopicRecord): Promise<boolean> {
    return changed(await this.db.query('UPDATE sns_topics SET record = $2 WHERE arn = $1', [record.arn, JSON.stringify(record)])) > 0;
  }

  async listTopics(after: string | undefined, limit: number): Promise<TopicRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM sns_topics WHERE arn > $1 ORDER BY arn LIMIT $2', [from(after), limit]);
    return rows.map(topic);
  }

  async deleteTopic(arn: string): Promise<boolean> {
    return transaction(this.db, async (tx) => {
      await tx.query('DELETE FROM sns_subscriptions WHERE topic_arn = $1', [arn]);
      return changed(await tx.query('DELETE FROM sns_topics WHERE arn = $1', [arn])) > 0;
    });
  }

  async nextSequence(topicArn: string): Promise<number> {
    const { rows } = await this.db.query<{ sequence: number }>('UPDATE sns_topics SET sequence = sequence + 1 WHERE arn = $1 RETURNING sequence', [topicArn]);
    if (!rows[0]) throw new Error(`no topic ${topicArn}`);
    return rows[0].sequence;
  }

  async putSubscription(record: SubscriptionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO sns_subscriptions (arn, topic_arn, record) VALUES ($1, $2, $3)
       ON CONFLICT (arn) DO UPDATE SET topic_arn = excluded.topic_arn, record = excluded.record`,
      [record.arn, record.topicArn, JSON.stringify(record)],
    );
  }

  async getSubscription(arn: string): Promise<SubscriptionRecord | undefined> {
    const { rows } = await this.db.query<Row>('SELECT record FROM sns_subscriptions WHERE arn = $1', [arn]);
    return rows[0] ? subscription(rows[0]) : undefined;
  }

  async deleteSubscription(arn: string): Promise<boolean> {
    return changed(await this.db.query('DELETE FROM sns_subscriptions WHERE arn = $1', [arn])) > 0;
  }

  async subscriptionsOf(topicArn: string, after: string | undefined, limit?: number): Promise<SubscriptionRecord[]> {
    const { rows } = await this.db.query<Row>(
      'SELECT record FROM sns_subscriptions WHERE topic_arn = $1 AND arn > $2 ORDER BY arn LIMIT $3',
      [topicArn, from(after), limit ?? null],
    );
    return rows.map(subscription);
  }

  async listSubscriptions(after: string | undefined, limit: number): Promise<SubscriptionRecord[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM sns_subscriptions WHERE arn > $1 ORDER BY arn LIMIT $2', [from(after), limit]);
    return rows.map(subscription);
  }

  async putDelivery(d: PendingDelivery): Promise<void> {
    await this.db.query(
      `INSERT INTO sns_deliveries (id, next_attempt_at, record) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at, record = excluded.record`,
      [d.id, d.nextAttemptAt, JSON.stringify(d)],
    );
  }

  async deleteDelivery(id: string): Promise<void> {
    await this.db.query('DELETE FROM sns_deliveries WHERE id = $1', [id]);
  }

  async pendingDeliveries(): Promise<PendingDelivery[]> {
    const { rows } = await this.db.query<Row>('SELECT record FROM sns_deliveries ORDER BY next_attempt_at, id');
    return rows.map((row) => PendingDeliverySchema.parse(JSON.parse(row.record)));
  }
}
