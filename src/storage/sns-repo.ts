/** SNS's store interface: topics, subscriptions and HTTP deliveries under way. Implemented in ./sqlite/ and ./postgres/, tested by test/storage/. */
import type { PendingDelivery, SubscriptionRecord, TopicRecord } from '../services/sns/model.js';

/** SNS topics and their subscriptions, by ARN; lists in ascending ARN order, strictly after `after`. */
export interface SnsRepo {
  /** Inserts a topic unless one has its ARN; returns the topic stored under the ARN either way. */
  createTopic(topic: TopicRecord): Promise<TopicRecord>;
  getTopic(arn: string): Promise<TopicRecord | undefined>;
  /** Replaces a topic's attributes and tags; false if it does not exist. */
  updateTopic(topic: TopicRecord): Promise<boolean>;
  listTopics(after: string | undefined, limit: number): Promise<TopicRecord[]>;
  /** Deletes a topic and its subscriptions; false if it did not exist. */
  deleteTopic(arn: string): Promise<boolean>;
  /** The next sequence number of a FIFO topic's messages (1, 2, ...). */
  nextSequence(topicArn: string): Promise<number>;
  /** Inserts or replaces a subscription. */
  putSubscription(subscription: SubscriptionRecord): Promise<void>;
  getSubscription(arn: string): Promise<SubscriptionRecord | undefined>;
  deleteSubscription(arn: string): Promise<boolean>;
  /** A topic's subscriptions (all of them when `limit` is undefined). */
  subscriptionsOf(topicArn: string, after: string | undefined, limit?: number): Promise<SubscriptionRecord[]>;
  listSubscriptions(after: string | undefined, limit: number): Promise<SubscriptionRecord[]>;
  /** Inserts or replaces an HTTP/S delivery under way. */
  putDelivery(delivery: PendingDelivery): Promise<void>;
  deleteDelivery(id: string): Promise<void>;
  /** Every delivery under way, soonest attempt first. */
  pendingDeliveries(): Promise<PendingDelivery[]>;
}
