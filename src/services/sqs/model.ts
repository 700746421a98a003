/** The queue service's own model: queues, their settings and stored messages (no wire shapes). */

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** Settings of a queue, typed; attributes.ts converts them from and to SQS's string map. */
export interface QueueSettings {
  delaySeconds: number;
  maximumMessageSize: number;
  messageRetentionPeriod: number;
  receiveMessageWaitTimeSeconds: number;
  visibilityTimeout: number;
  redrivePolicy?: RedrivePolicy;
  fifoQueue: boolean;
  contentBasedDeduplication: boolean;
  /** Attributes kept as given and echoed back (Policy, RedriveAllowPolicy, KMS and FIFO throughput settings). */
  passthrough: Record<string, string>;
}

export interface QueueRecord {
  name: string;
  settings: QueueSettings;
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
}

export interface MessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64, so that the record stays JSON. */
  binaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttribute>;

/** A message as the service hands it to the store. */
export interface NewMessage {
  queue: string;
  id: string;
  body: string;
  attributes: MessageAttributes;
  systemAttributes: MessageAttributes;
  md5OfBody: string;
  senderId: string;
  sentAt: number;
  visibleAt: number;
  groupId?: string;
  deduplicationId?: string;
  /**
   * What duplicates are looked up by, when it differs from the deduplication id: with a FIFO
   * queue's DeduplicationScope messageGroup, the same id in two groups is two messages.
   */
  deduplicationKey?: string;
}

/** The key a message's duplicates are found by. */
export const dedupKeyOf = (m: NewMessage): string | undefined => m.deduplicationKey ?? m.deduplicationId;

export interface StoredMessage extends NewMessage {
  seq: number;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptToken?: string;
  deadLetterSourceArn?: string;
}

/** What the store answers for each message of a send batch. */
export interface InsertResult {
  id: string;
  seq: number;
  /** A FIFO duplicate within the deduplication window: nothing was stored, `id` is the original's. */
  duplicate: boolean;
}

export interface QueueCounts {
  visible: number;
  inFlight: number;
  delayed: number;
  oldestSentAt?: number;
}

export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

/** SQS's sequence numbers are 20-digit decimal strings that grow within a queue. */
export const sequenceNumber = (seq: number): string => (10n ** 19n + BigInt(seq)).toString();
