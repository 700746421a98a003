/** SNS's internal records: topics and subscriptions, as stored (validated with zod when read back). */
import { z } from 'zod';

export const TopicRecordSchema = z.strictObject({
  arn: z.string(),
  name: z.string(),
  /** Attributes a caller set (DisplayName, Policy, DeliveryPolicy, FifoTopic, ContentBasedDeduplication...). */
  attributes: z.record(z.string(), z.string()),
  tags: z.record(z.string(), z.string()),
  createdAt: z.number().int(),
});
export type TopicRecord = z.infer<typeof TopicRecordSchema>;

export const PROTOCOLS = ['lambda', 'sqs', 'http', 'https', 'email-json'] as const;
export type SubscriptionProtocol = (typeof PROTOCOLS)[number];

/**
 * A subscription's states. SNS confirms lambda and sqs subscriptions at once (same account); http(s)
 * and email-json wait for the endpoint to prove it wants the messages.
 */
export type SubscriptionState = 'PendingConfirmation' | 'Confirmed';

const TRANSITIONS: Readonly<Record<SubscriptionState, readonly SubscriptionState[]>> = {
  PendingConfirmation: ['Confirmed'],
  Confirmed: [],
};

/** Whether a subscription may move from one state to another; every transition not listed is refused. */
export const canTransition = (from: SubscriptionState, to: SubscriptionState): boolean => TRANSITIONS[from].includes(to);

export const SubscriptionRecordSchema = z.strictObject({
  /** Pending subscriptions have an ARN of their own too; SNS shows `PendingConfirmation` in its place. */
  arn: z.string(),
  topicArn: z.string(),
  protocol: z.enum(PROTOCOLS),
  endpoint: z.string(),
  owner: z.string(),
  state: z.enum(['PendingConfirmation', 'Confirmed']),
  /** The secret the endpoint hands back to confirm. */
  token: z.string(),
  attributes: z.record(z.string(), z.string()),
  createdAt: z.number().int(),
});
export type SubscriptionRecord = z.infer<typeof SubscriptionRecordSchema>;

/** A message attribute as SNS carries it (DataType String, Number, Binary, String.Array, or a custom suffix). */
export interface SnsMessageAttribute {
  dataType: string;
  stringValue?: string;
  binaryValue?: Buffer;
}
export type SnsMessageAttributes = Record<string, SnsMessageAttribute>;

/** What a publisher sends, validated. */
export interface Publication {
  topicArn: string;
  message: string;
  subject?: string;
  /** With MessageStructure json: the message per protocol, `default` for the others. */
  perProtocol?: Record<string, string>;
  attributes: SnsMessageAttributes;
  groupId?: string;
  deduplicationId?: string;
}

/** A publication accepted by a topic: its id and, on FIFO topics, its sequence number. */
export interface Notification extends Publication {
  messageId: string;
  timestamp: number;
  sequenceNumber?: string;
}

/** A notification as stored while its HTTP delivery waits for a retry (binary attributes in base64). */
const StoredNotificationSchema = z.strictObject({
  messageId: z.string(),
  topicArn: z.string(),
  message: z.string(),
  subject: z.string().optional(),
  perProtocol: z.record(z.string(), z.string()).optional(),
  attributes: z.record(z.string(), z.strictObject({ dataType: z.string(), stringValue: z.string().optional(), binaryValue: z.string().optional() })),
  groupId: z.string().optional(),
  deduplicationId: z.string().optional(),
  timestamp: z.number().int(),
  sequenceNumber: z.string().optional(),
});

/** An HTTP/S delivery under way: what a restarted server resumes, at its next attempt. */
export const PendingDeliverySchema = z.strictObject({
  id: z.string(),
  subscriptionArn: z.string(),
  notification: StoredNotificationSchema,
  /** Attempts made so far. */
  attempts: z.number().int().min(0),
  /** Epoch ms of the next attempt. */
  nextAttemptAt: z.number().int(),
});
export type PendingDelivery = z.infer<typeof PendingDeliverySchema>;

export function storedNotification(n: Notification): PendingDelivery['notification'] {
  const attributes: PendingDelivery['notification']['attributes'] = {};
  for (const [k, a] of Object.entries(n.attributes)) {
    attributes[k] = { dataType: a.dataType, ...(a.stringValue !== undefined ? { stringValue: a.stringValue } : {}), ...(a.binaryValue !== undefined ? { binaryValue: a.binaryValue.toString('base64') } : {}) };
  }
  return { ...n, attributes };
}

export function notificationOf(s: PendingDelivery['notification']): Notification {
  const attributes: SnsMessageAttributes = {};
  for (const [k, a] of Object.entries(s.attributes)) {
    attributes[k] = { dataType: a.dataType, ...(a.stringValue !== undefined ? { stringValue: a.stringValue } : {}), ...(a.binaryValue !== undefined ? { binaryValue: Buffer.from(a.binaryValue, 'base64') } : {}) };
  }
  const { perProtocol, subject, groupId, deduplicationId, sequenceNumber, ...rest } = s;
  return {
    ...rest,
    attributes,
    ...(perProtocol !== undefined ? { perProtocol } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(groupId !== undefined ? { groupId } : {}),
    ...(deduplicationId !== undefined ? { deduplicationId } : {}),
    ...(sequenceNumber !== undefined ? { sequenceNumber } : {}),
  };
}
