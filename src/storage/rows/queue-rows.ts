/** How queues and messages are kept in rows, for every adapter: queue records as JSON, messages as columns. */
import { z } from 'zod';
import type { MessageAttributes, QueueRecord, StoredMessage } from '../../services/sqs/model.js';

const AttributesSchema = z.record(
  z.string(),
  z.object({ dataType: z.string(), stringValue: z.string().optional(), binaryValue: z.string().optional() }),
);

const QueueRecordSchema = z.object({
  name: z.string(),
  settings: z.object({
    delaySeconds: z.number(),
    maximumMessageSize: z.number(),
    messageRetentionPeriod: z.number(),
    receiveMessageWaitTimeSeconds: z.number(),
    visibilityTimeout: z.number(),
    redrivePolicy: z.object({ deadLetterTargetArn: z.string(), maxReceiveCount: z.number() }).optional(),
    fifoQueue: z.boolean(),
    contentBasedDeduplication: z.boolean(),
    passthrough: z.record(z.string(), z.string()),
  }),
  createdAt: z.number(),
  modifiedAt: z.number(),
  tags: z.record(z.string(), z.string()),
});

export const parseQueue = (json: string): QueueRecord => QueueRecordSchema.parse(JSON.parse(json)) as QueueRecord;

export interface MessageRow {
  seq: number;
  queue: string;
  id: string;
  body: string;
  attributes: string;
  system_attributes: string;
  md5_body: string;
  sender_id: string;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_received_at: number | null;
  receipt_token: string | null;
  group_id: string | null;
  dedup_id: string | null;
  dead_letter_source: string | null;
}

// Most messages carry no attributes: '{}' needs no parse.
const parseAttributes = (json: string): MessageAttributes => (json === '{}' ? {} : (AttributesSchema.parse(JSON.parse(json)) as MessageAttributes));

export function toMessage(r: MessageRow): StoredMessage {
  const m: StoredMessage = {
    seq: r.seq,
    queue: r.queue,
    id: r.id,
    body: r.body,
    attributes: parseAttributes(r.attributes),
    systemAttributes: parseAttributes(r.system_attributes),
    md5OfBody: r.md5_body,
    senderId: r.sender_id,
    sentAt: r.sent_at,
    visibleAt: r.visible_at,
    receiveCount: r.receive_count,
  };
  if (r.first_received_at !== null) m.firstReceivedAt = r.first_received_at;
  if (r.receipt_token !== null) m.receiptToken = r.receipt_token;
  if (r.group_id !== null) m.groupId = r.group_id;
  if (r.dedup_id !== null) m.deduplicationId = r.dedup_id;
  if (r.dead_letter_source !== null) m.deadLetterSourceArn = r.dead_letter_source;
  return m;
}

/** A message as a receive leaves it: hidden until `visibleAt` under `token`. */
export const asReceived = (m: StoredMessage, now: number, visibleAt: number, token: string): StoredMessage => ({
  ...m,
  visibleAt,
  receiveCount: m.receiveCount + 1,
  firstReceivedAt: m.firstReceivedAt ?? now,
  receiptToken: token,
});

/**
 * Splits the messages a receive found into those to deliver, each with its token, and those
 * received too often, bound for the dead-letter queue.
 */
export function splitReceived(
  ready: readonly StoredMessage[],
  tokens: readonly string[],
  maxReceiveCount: number | undefined,
): { live: { message: StoredMessage; token: string }[]; dead: StoredMessage[] } {
  const dead = maxReceiveCount === undefined ? [] : ready.filter((m) => m.receiveCount >= maxReceiveCount);
  const live = ready.filter((m) => !dead.includes(m)).map((message, i) => ({ message, token: tokens[i]! }));
  return { live, dead };
}
