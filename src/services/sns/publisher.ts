/**
 * Publish: checks a publication against its topic, gives it an id (and on FIFO topics a sequence
 * number, once per deduplication id), and fans it out to the topic's confirmed subscriptions whose
 * filter policy it matches. SQS and Lambda deliveries are written before Publish answers (in order,
 * per FIFO topic); HTTP/S deliveries run after, with retries; what fails goes to the dead-letter queue.
 */
import { createHash } from 'node:crypto';
import { newTimeOrderedId } from '../../lib/ids.js';
import type { Clock } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { KeyedLock } from '../sqs/keyed-lock.js';
import type { SnsRepo } from '../../storage/store.js';
import { AwsError, SnsErrors } from '../../wire/errors.js';
import type { DeadLetters } from './dead-letters.js';
import { Deduplicator, type Accepted } from './deduplication.js';
import type { Deliverer, Delivery } from './deliveries/delivery.js';
import { DeliveryStopped } from './deliveries/http-delivery.js';
import { messageFor } from './envelopes.js';
import { matches } from './filter-policy.js';
import type { Notification, SnsMessageAttributes, SubscriptionProtocol, TopicRecord } from './model.js';
import { checkAttributes, checkMessage, MAX_MESSAGE_BYTES, perProtocolMessages, publicationBytes } from './publication-validation.js';
import { filterPolicyOf } from './subscription-attributes.js';
import type { SubscriptionService } from './subscription-service.js';
import { isFifoTopic, type TopicService } from './topic-service.js';

export interface PublishRequest {
  topicArn: string;
  message: string;
  subject?: string;
  messageStructure?: string;
  attributes: SnsMessageAttributes;
  groupId?: string;
  deduplicationId?: string;
}

export interface BatchEntry extends Omit<PublishRequest, 'topicArn'> {
  id: string;
}

export type BatchOutcome = { id: string; ok: true; accepted: Accepted } | { id: string; ok: false; error: AwsError };

/** Deliveries that finish within Publish: the message is stored in a queue or an async event. */
const AWAITED = new Set<SubscriptionProtocol>(['sqs', 'lambda']);
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_ID = /^[!-~]{1,128}$/;

export interface PublisherDeps {
  repo: SnsRepo;
  topics: TopicService;
  subscriptions: SubscriptionService;
  deliverers: Readonly<Record<SubscriptionProtocol, Deliverer>>;
  deadLetters: DeadLetters;
  clock: Clock;
  logger: Logger;
}

export class Publisher {
  private readonly ordered = new KeyedLock();
  private readonly dedup: Deduplicator;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly d: PublisherDeps) {
    this.dedup = new Deduplicator(d.clock);
  }

  async publish(r: PublishRequest): Promise<Accepted> {
    const topic = await this.d.topics.get(r.topicArn);
    return this.accept(topic, r);
  }

  async publishBatch(topicArn: string, entries: readonly BatchEntry[]): Promise<BatchOutcome[]> {
    const topic = await this.d.topics.get(topicArn);
    if (entries.length === 0) throw SnsErrors.emptyBatch();
    if (entries.length > 10) throw SnsErrors.tooManyEntries();
    if (new Set(entries.map((e) => e.id)).size !== entries.length) throw SnsErrors.batchIdsNotDistinct();
    if (entries.some((e) => !BATCH_ID.test(e.id))) throw SnsErrors.invalidBatchEntryId();
    if (entries.reduce((n, e) => n + publicationBytes(e.message, e.attributes), 0) > MAX_MESSAGE_BYTES) throw SnsErrors.batchRequestTooLong();
    const outcomes: BatchOutcome[] = [];
    // One after another: on a FIFO topic the entries keep their order.
    for (const e of entries) {
      try {
        outcomes.push({ id: e.id, ok: true, accepted: await this.accept(topic, { ...e, topicArn }) });
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        outcomes.push({ id: e.id, ok: false, error: err });
      }
    }
    return outcomes;
  }

  /** Waits for deliveries under way (HTTP retries end when the HTTP deliverer stops). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async accept(topic: TopicRecord, r: PublishRequest): Promise<Accepted> {
    checkMessage(r.message, r.subject);
    checkAttributes(r.attributes);
    if (publicationBytes(r.message, r.attributes) > MAX_MESSAGE_BYTES) throw SnsErrors.invalidParameter('Message too long');
    const perProtocol = r.messageStructure === 'json' ? perProtocolMessages(r.message) : undefined;
    if (r.messageStructure !== undefined && r.messageStructure !== 'json') throw SnsErrors.invalidParameter('MessageStructure');
    if (!isFifoTopic(topic)) {
      if (r.deduplicationId !== undefined) {
        throw SnsErrors.invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
      }
      return this.fanOut(topic, this.notification(r, perProtocol));
    }
    if (r.groupId === undefined) throw SnsErrors.invalidParameter('The MessageGroupId parameter is required for FIFO topics');
    if (!FIFO_ID.test(r.groupId)) throw SnsErrors.invalidParameter('MessageGroupId Reason: it must be 1 to 128 alphanumeric or punctuation characters');
    const deduplicationId =
      r.deduplicationId ?? (topic.attributes['ContentBasedDeduplication'] === 'true' ? createHash('sha256').update(r.message, 'utf8').digest('hex') : undefined);
    if (deduplicationId === undefined) {
      throw SnsErrors.invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    }
    if (!FIFO_ID.test(deduplicationId)) throw SnsErrors.invalidParameter('MessageDeduplicationId Reason: it must be 1 to 128 alphanumeric or punctuation characters');
    // One publication at a time per FIFO topic: sequence numbers and queue order follow acceptance order.
    return this.ordered.run(topic.arn, async () => {
      const earlier = this.dedup.earlier(topic.arn, deduplicationId);
      if (earlier) return earlier;
      const seq = await this.d.repo.nextSequence(topic.arn);
      const n = this.notification({ ...r, deduplicationId }, perProtocol, (10n ** 19n + BigInt(seq)).toString());
      const accepted = await this.fanOut(topic, n);
      this.dedup.remember(topic.arn, deduplicationId, accepted);
      return accepted;
    });
  }

  private notification(r: PublishRequest, perProtocol: Record<string, string> | undefined, sequenceNumber?: string): Notification {
    const now = this.d.clock.now();
    const n: Notification = { ...r, messageId: newTimeOrderedId(now), timestamp: now };
    if (perProtocol) n.perProtocol = perProtocol;
    if (sequenceNumber !== undefined) n.sequenceNumber = sequenceNumber;
    return n;
  }

  private async fanOut(topic: TopicRecord, n: Notification): Promise<Accepted> {
    const subscriptions = await this.d.subscriptions.confirmedOf(topic.arn);
    const awaited: Promise<void>[] = [];
    for (const subscription of subscriptions) {
      const policy = filterPolicyOf(subscription.attributes);
      if (policy && !matches(policy, { attributes: n.attributes, body: messageFor(n, subscription.protocol) })) continue;
      const delivery = this.deliver({ notification: n, subscription, topic });
      if (AWAITED.has(subscription.protocol)) awaited.push(delivery);
      else this.track(delivery);
    }
    await Promise.all(awaited);
    return n.sequenceNumber !== undefined ? { messageId: n.messageId, sequenceNumber: n.sequenceNumber } : { messageId: n.messageId };
  }

  /** Delivers, or hands the message to the dead-letter queue; never rejects. */
  private async deliver(d: Delivery): Promise<void> {
    try {
      await this.d.deliverers[d.subscription.protocol].deliver(d);
    } catch (err) {
      // Stopped during its retries: the delivery is in the store and resumes at the next start.
      if (err instanceof DeliveryStopped) return;
      await this.d.deadLetters.send(d, err instanceof Error ? err.message : String(err));
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }
}
