import type Database from 'better-sqlite3';
import { PendingDeliverySchema, SubscriptionRecordSchema, TopicRecordSchema, type PendingDelivery, type SubscriptionRecord, type TopicRecord } from '../../services/sns/model.js';
import type { SnsRepo } from '../store.js';

type Row = { record: string };

const topic = (row: Row): TopicRecord => TopicRecordSchema.parse(JSON.parse(row.record));
const subscription = (row: Row): SubscriptionRecord => SubscriptionRecordSchema.parse(JSON.parse(row.record));
// An empty string sorts before every ARN: "strictly after nothing" is the whole list.
const from = (after: string | undefined) => after ?? '';
// SQLite's LIMIT -1 means no limit.
const limitOf = (limit: number | undefined) => limit ?? -1;

export class SqliteSnsRepo implements SnsRepo {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      insertTopic: db.prepare<[string, string]>('INSERT OR IGNORE INTO sns_topics (arn, record) VALUES (?, ?)'),
      topic: db.prepare<[string], Row>('SELECT record FROM sns_topics WHERE arn = ?'),
      updateTopic: db.prepare<[string, string]>('UPDATE sns_topics SET record = ? WHERE arn = ?'),
      topics: db.prepare<[string, number], Row>('SELECT record FROM sns_topics WHERE arn > ? ORDER BY arn LIMIT ?'),
      deleteTopic: db.prepare<[string]>('DELETE FROM sns_topics WHERE arn = ?'),
      deleteSubscriptionsOf: db.prepare<[string]>('DELETE FROM sns_subscriptions WHERE topic_arn = ?'),
      sequence: db.prepare<[string], { sequence: number }>('UPDATE sns_topics SET sequence = sequence + 1 WHERE arn = ? RETURNING sequence'),
      putSubscription: db.prepare<[string, string, string]>('INSERT OR REPLACE INTO sns_subscriptions (arn, topic_arn, record) VALUES (?, ?, ?)'),
      subscription: db.prepare<[string], Row>('SELECT record FROM sns_subscriptions WHERE arn = ?'),
      deleteSubscription: db.prepare<[string]>('DELETE FROM sns_subscriptions WHERE arn = ?'),
      subscriptionsOf: db.prepare<[string, string, number], Row>('SELECT record FROM sns_subscriptions WHERE topic_arn = ? AND arn > ? ORDER BY arn LIMIT ?'),
      subscriptions: db.prepare<[string, number], Row>('SELECT record FROM sns_subscriptions WHERE arn > ? ORDER BY arn LIMIT ?'),
      putDelivery: db.prepare<[string, number, string]>('INSERT OR REPLACE INTO sns_deliveries (id, next_attempt_at, record) VALUES (?, ?, ?)'),
      deleteDelivery: db.prepare<[string]>('DELETE FROM sns_deliveries WHERE id = ?'),
      deliveries: db.prepare<[], Row>('SELECT record FROM sns_deliveries ORDER BY next_attempt_at, id'),
    };
  }

  async createTopic(record: TopicRecord): Promise<TopicRecord> {
    this.s.insertTopic.run(record.arn, JSON.stringify(record));
    return topic(this.s.topic.get(record.arn)!);
  }

  async getTopic(arn: string): Promise<TopicRecord | undefined> {
    const row = this.s.topic.get(arn);
    return row ? topic(row) : undefined;
  }

  async updateTopic(record: TopicRecord): Promise<boolean> {
    return this.s.updateTopic.run(JSON.stringify(record), record.arn).changes > 0;
  }

  async listTopics(after: string | undefined, limit: number): Promise<TopicRecord[]> {
    return this.s.topics.all(from(after), limit).map(topic);
  }

  async deleteTopic(arn: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.s.deleteSubscriptionsOf.run(arn);
      return this.s.deleteTopic.run(arn).changes > 0;
    })();
  }

  async nextSequence(topicArn: string): Promise<number> {
    const row = this.s.sequence.get(topicArn);
    if (!row) throw new Error(`no topic ${topicArn}`);
    return row.sequence;
  }

  async putSubscription(record: SubscriptionRecord): Promise<void> {
    this.s.putSubscription.run(record.arn, record.topicArn, JSON.stringify(record));
  }

  async getSubscription(arn: string): Promise<SubscriptionRecord | undefined> {
    const row = this.s.subscription.get(arn);
    return row ? subscription(row) : undefined;
  }

  async deleteSubscription(arn: string): Promise<boolean> {
    return this.s.deleteSubscription.run(arn).changes > 0;
  }

  async subscriptionsOf(topicArn: string, after: string | undefined, limit?: number): Promise<SubscriptionRecord[]> {
    return this.s.subscriptionsOf.all(topicArn, from(after), limitOf(limit)).map(subscription);
  }

  async listSubscriptions(after: string | undefined, limit: number): Promise<SubscriptionRecord[]> {
    return this.s.subscriptions.all(from(after), limit).map(subscription);
  }

  async putDelivery(d: PendingDelivery): Promise<void> {
    this.s.putDelivery.run(d.id, d.nextAttemptAt, JSON.stringify(d));
  }

  async deleteDelivery(id: string): Promise<void> {
    this.s.deleteDelivery.run(id);
  }

  async pendingDeliveries(): Promise<PendingDelivery[]> {
    return this.s.deliveries.all().map((row) => PendingDeliverySchema.parse(JSON.parse(row.record)));
  }
}
