/** One notification on its way to one subscription, and what each protocol's deliverer does with it. */
import type { Notification, SubscriptionRecord, TopicRecord } from '../model.js';
import type { SignatureVersion } from '../signing.js';

export interface Delivery {
  notification: Notification;
  subscription: SubscriptionRecord;
  topic: TopicRecord;
}

export interface Deliverer {
  /** Resolves once delivered; rejects with the reason when it cannot be (after any retries of its own). */
  deliver(d: Delivery): Promise<void>;
}

export const signatureVersionOf = (topic: TopicRecord): SignatureVersion => (topic.attributes['SignatureVersion'] === '2' ? '2' : '1');

export const isRaw = (s: SubscriptionRecord): boolean => s.attributes['RawMessageDelivery'] === 'true';
