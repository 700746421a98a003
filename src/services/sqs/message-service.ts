/**
 * Messages: send (group-committed, FIFO deduplication), receive (visibility timeout, long polling,
 * FIFO group order, dead-letter moves), delete (group-committed) and visibility changes. Batch operations answer
 * per entry; the single operations are batches of one.
 */
import { createHash } from 'node:crypto';
import { parseTraceHeader } from '../../wire/trace-header.js';
import { newMessageId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { QueueRepo } from '../../storage/store.js';
import { AwsError, SqsErrors } from '../../wire/errors.js';
import { KeyedLock } from './keyed-lock.js';
import { md5Hex, md5OfAttributes } from './md5.js';
import { checkAttributes, checkBody, checkSize } from './message-validation.js';
import { DEDUPLICATION_WINDOW_MS, sequenceNumber, type MessageAttributes, type NewMessage, type QueueRecord, type StoredMessage } from './model.js';
import type { QueueService } from './queue-service.js';
import { decodeReceiptHandle, encodeReceiptHandle, newReceiptToken } from './receipt-handle.js';
import { DeleteBatcher } from './delete-batcher.js';
import { SendBatcher } from './send-batcher.js';
import { Waiters } from './waiters.js';
import { singleNodeSignals, type ChangeSignals } from '../../storage/change-signals.js';

/** The channel of the store's change signals that names queues whose messages changed. */
const SIGNAL_CHANNEL = 'sqs';

export interface SendRequest {
  body: string;
  delaySeconds?: number;
  attributes: MessageAttributes;
  systemAttributes: MessageAttributes;
  /** The sender's X-Amzn-Trace-Id: kept as the AWSTraceHeader system attribute unless one was given. */
  traceHeader?: string;
  groupId?: string;
  deduplicationId?: string;
}

export interface Sent {
  messageId: string;
  md5OfBody: string;
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
  sequenceNumber?: string;
}

export interface ReceiveRequest {
  maxMessages?: number;
  visibilityTimeout?: number;
  waitTimeSeconds?: number;
}

export interface Received {
  message: StoredMessage;
  receiptHandle: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: AwsError };

const FIFO_ID = /^[!-~]{1,128}$/;
const EXPIRY_INTERVAL_MS = 1000;

const invalid = (name: string, value: unknown, reason: string) =>
  SqsErrors.invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

function inRange(name: string, value: number | undefined, min: number, max: number, reason: string): void {
  if (value !== undefined && (value < min || value > max)) throw invalid(name, value, reason);
}

export class MessageService {
  private readonly waiters: Waiters;
  private readonly batcher: SendBatcher;
  private readonly deleter: DeleteBatcher;
  private readonly lock = new KeyedLock();
  private readonly lastExpiry = new Map<string, number>();

  private readonly unsubscribe: () => void;

  /** `signals`: sends, moves and visibility changes on other nodes wake this node's long polls, and this node's theirs. */
  constructor(
    private readonly queues: QueueService,
    private readonly repo: QueueRepo,
    private readonly clock: Clock,
    private readonly signals: ChangeSignals = singleNodeSignals(),
  ) {
    this.waiters = new Waiters(clock);
    this.batcher = new SendBatcher(repo, () => clock.now() - DEDUPLICATION_WINDOW_MS, (names) => this.changedAll(names));
    this.deleter = new DeleteBatcher(repo);
    this.unsubscribe = signals.subscribe(SIGNAL_CHANNEL, (queue) => (queue === undefined ? this.waiters.notifyAll() : this.waiters.notify(queue)));
  }

  /** Wakes pollers of a queue whose messages changed, on this node and the others. */
  changed(queue: string): void {
    this.changedAll([queue]);
  }

  private changedAll(queues: Iterable<string>): void {
    const names = [...queues];
    for (const queue of names) this.waiters.notify(queue);
    this.signals.publish(SIGNAL_CHANNEL, names);
  }

  /** Ends every long poll (with no messages) and makes later receives return at once. */
  async stop(): Promise<void> {
    this.unsubscribe();
    this.waiters.close();
    await Promise.all([this.batcher.flush(), this.deleter.flush()]);
  }

  async send(url: string, requests: readonly SendRequest[], senderId: string): Promise<Outcome<Sent>[]> {
    const queue = await this.queues.forMessages(url);
    const now = this.clock.now();
    const prepared = requests.map((r): Outcome<{ message: NewMessage; sent: Sent }> => {
      try {
        return { ok: true, value: this.prepare(queue, r, senderId, now) };
      } catch (err) {
        if (err instanceof AwsError) return { ok: false, error: err };
        throw err;
      }
    });
    const valid = prepared.flatMap((p) => (p.ok ? [p.value.message] : []));
    const results = await this.batcher.add(valid);
    let i = 0;
    return prepared.map((p): Outcome<Sent> => {
      if (!p.ok) return p;
      const stored = results[i++]!;
      const sent: Sent = Object.assign({}, p.value.sent, { messageId: stored.id });
      if (queue.settings.fifoQueue) sent.sequenceNumber = sequenceNumber(stored.seq);
      return { ok: true, value: sent };
    });
  }

  private prepare(queue: QueueRecord, r: SendRequest, senderId: string, now: number): { message: NewMessage; sent: Sent } {
    const s = queue.settings;
    checkBody(r.body);
    checkAttributes(r.attributes, 'message');
    checkAttributes(r.systemAttributes, 'system');
    checkSize(r.body, r.attributes, s.maximumMessageSize);
    inRange('DelaySeconds', r.delaySeconds, 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
    let deduplicationId = r.deduplicationId;
    if (s.fifoQueue) {
      if (r.groupId === undefined) throw SqsErrors.missingParameter('The request must contain the parameter MessageGroupId.');
      if (r.delaySeconds) throw invalid('DelaySeconds', r.delaySeconds, 'The request include parameter that is not valid for this queue type.');
      if (deduplicationId === undefined && s.contentBasedDeduplication) deduplicationId = createHash('sha256').update(r.body, 'utf8').digest('hex');
      if (deduplicationId === undefined) {
        throw SqsErrors.invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      if (!FIFO_ID.test(deduplicationId)) throw invalid('MessageDeduplicationId', deduplicationId, 'MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    } else if (r.deduplicationId !== undefined) {
      throw invalid('MessageDeduplicationId', r.deduplicationId, 'The request include parameter that is not valid for this queue type');
    }
    if (r.groupId !== undefined && !FIFO_ID.test(r.groupId)) {
      throw invalid('MessageGroupId', r.groupId, 'MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.');
    }
    const message: NewMessage = {
      queue: queue.name,
      id: newMessageId(),
      body: r.body,
      attributes: r.attributes,
      systemAttributes: withTraceHeader(r.systemAttributes, r.traceHeader),
      md5OfBody: md5Hex(r.body),
      senderId,
      sentAt: now,
      visibleAt: now + (r.delaySeconds ?? s.delaySeconds) * 1000,
    };
    if (r.groupId !== undefined) message.groupId = r.groupId;
    if (deduplicationId !== undefined) message.deduplicationId = deduplicationId;
    // High-throughput FIFO: an id is a duplicate only within its message group.
    if (deduplicationId !== undefined && s.passthrough['DeduplicationScope'] === 'messageGroup') message.deduplicationKey = `${r.groupId}\u0000${deduplicationId}`;
    const sent: Sent = { messageId: message.id, md5OfBody: message.md5OfBody };
    const md5Attributes = md5OfAttributes(r.attributes);
    if (md5Attributes) sent.md5OfAttributes = md5Attributes;
    const md5System = md5OfAttributes(r.systemAttributes);
    if (md5System) sent.md5OfSystemAttributes = md5System;
    return { message, sent };
  }

  async receive(url: string, r: ReceiveRequest): Promise<Received[]> {
    let queue = await this.queues.forMessages(url);
    inRange('MaxNumberOfMessages', r.maxMessages, 1, 10, 'Must be between 1 and 10, if provided.');
    inRange('VisibilityTimeout', r.visibilityTimeout, 0, 43_200, 'Must be between 0 and 43200, if provided.');
    inRange('WaitTimeSeconds', r.waitTimeSeconds, 0, 20, 'Must be >= 0 and <= 20, if provided.');
    const deadline = this.clock.now() + (r.waitTimeSeconds ?? queue.settings.receiveMessageWaitTimeSeconds) * 1000;
    for (;;) {
      const version = this.waiters.version(queue.name);
      const current = queue;
      const got = await this.lock.run(queue.name, () => this.take(current, r.maxMessages ?? 1, r.visibilityTimeout));
      if (got.length > 0 || this.waiters.isClosed) return got;
      const now = this.clock.now();
      if (now >= deadline) return [];
      const next = await this.repo.nextVisibleAt(queue.name, now);
      await this.waiters.wait(queue.name, version, Math.min(deadline, next ?? Infinity) - now);
      const fresh = await this.repo.getQueue(queue.name);
      if (!fresh) return [];
      queue = fresh;
    }
  }

  /** One look at the queue: moves over-received messages to the dead-letter queue and takes up to `max`. */
  private async take(queue: QueueRecord, max: number, visibilityTimeout: number | undefined): Promise<Received[]> {
    const now = this.clock.now();
    await this.expire(queue, now);
    const policy = queue.settings.redrivePolicy;
    const target = policy ? await this.queues.byArn(policy.deadLetterTargetArn) : undefined;
    const deadLetter = target && policy ? { queue: target.name, maxReceiveCount: policy.maxReceiveCount, sourceArn: this.queues.arn(queue.name) } : undefined;
    const visibleAt = now + (visibilityTimeout ?? queue.settings.visibilityTimeout) * 1000;
    const taken: Received[] = [];
    while (taken.length < max) {
      // Claimed and marked in one transaction of the store: no other receiver, here or on another server, gets them too.
      const tokens = Array.from({ length: max - taken.length }, () => newReceiptToken());
      const { received, deadLettered } = await this.repo.receiveMessages(queue.name, { now, tokens, visibleAt, fifo: queue.settings.fifoQueue, deadLetter });
      for (const message of received) taken.push({ message, receiptHandle: encodeReceiptHandle({ messageId: message.id, token: message.receiptToken! }) });
      if (deadLettered === 0 || !deadLetter) break;
      this.changed(deadLetter.queue);
      // Look again only to fill the places of messages moved away (a second look could see
      // messages just taken with a visibility timeout of 0).
    }
    return taken;
  }

  /** Drops messages past the queue's retention period, at most once a second per queue. */
  private async expire(queue: QueueRecord, now: number): Promise<void> {
    const last = this.lastExpiry.get(queue.name) ?? 0;
    if (now - last < EXPIRY_INTERVAL_MS) return;
    this.lastExpiry.set(queue.name, now);
    await this.repo.purge(queue.name, now - queue.settings.messageRetentionPeriod * 1000);
  }

  async delete(url: string, handles: readonly string[]): Promise<Outcome<true>[]> {
    const queue = await this.queues.forMessages(url);
    const decoded = handles.map((h) => decodeReceiptHandle(h));
    const valid = decoded.flatMap((d) => (d ? [{ id: d.messageId, token: d.token }] : []));
    await this.deleter.add({ queue: queue.name, handles: valid });
    return decoded.map((d, i) => (d ? { ok: true, value: true } : { ok: false, error: SqsErrors.receiptHandleIsInvalid(handles[i]!) }));
  }

  async changeVisibility(url: string, changes: readonly { handle: string; timeout: number }[]): Promise<Outcome<true>[]> {
    const queue = await this.queues.forMessages(url);
    const now = this.clock.now();
    const checked = changes.map((c): Outcome<{ id: string; token: string; visibleAt: number }> => {
      const d = decodeReceiptHandle(c.handle);
      if (!d) return { ok: false, error: SqsErrors.receiptHandleIsInvalid(c.handle) };
      if (c.timeout < 0 || c.timeout > 43_200) return { ok: false, error: invalid('VisibilityTimeout', c.timeout, 'VisibilityTimeout must be an integer between 0 and 43200') };
      return { ok: true, value: { id: d.messageId, token: d.token, visibleAt: now + c.timeout * 1000 } };
    });
    const valid = checked.flatMap((c) => (c.ok ? [c.value] : []));
    const done = await this.repo.changeVisibility(queue.name, now, valid);
    if (valid.length > 0) this.changed(queue.name);
    let i = 0;
    return checked.map((c, k): Outcome<true> => {
      if (!c.ok) return c;
      if (done[i++]) return { ok: true, value: true };
      return { ok: false, error: invalid('ReceiptHandle', changes[k]!.handle, 'Message does not exist or is not available for visibility timeout change.') };
    });
  }
}

/**
 * SQS takes AWSTraceHeader from the request's X-Amzn-Trace-Id when the sender gave none, as AWS does:
 * the answer's MD5 of system attributes still covers only what the sender sent.
 */
function withTraceHeader(system: MessageAttributes, traceHeader: string | undefined): MessageAttributes {
  if (traceHeader === undefined || system['AWSTraceHeader'] !== undefined || parseTraceHeader(traceHeader) === undefined) return system;
  return Object.assign({}, system, { AWSTraceHeader: { dataType: 'String', stringValue: traceHeader } });
}
