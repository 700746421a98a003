/**
 * SNS subscriptions: subscribe (confirmed at once for sqs and lambda, pending a handshake for http(s)
 * and email-json), confirm, unsubscribe, list and attributes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.js';
import type { SnsRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { ProtocolErrors, SnsErrors } from '../../wire/errors.js';
import { canTransition, PROTOCOLS, type SubscriptionProtocol, type SubscriptionRecord, type TopicRecord } from './model.js';
import { decodeToken, pageOf, PAGE_SIZE, type Page } from './pages.js';
import { checkSubscriptionAttributes, SETTABLE_SUBSCRIPTION_ATTRIBUTES } from './subscription-attributes.js';
import { isFifoTopic, type TopicService } from './topic-service.js';

/** Protocols of SNS that Selfless does not deliver to (yet): subscribing to them answers 501. */
const NOT_IMPLEMENTED = new Set(['sms', 'email', 'application', 'firehose']);

const ENDPOINT: Record<SubscriptionProtocol, RegExp> = {
  sqs: /^arn:aws:sqs:[^:]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/,
  lambda: /^arn:aws:lambda:[^:]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/,
  http: /^http:\/\/[^\s]+$/i,
  https: /^https:\/\/[^\s]+$/i,
  'email-json': /^[^@\s]+@[^@\s]+$/,
};

/** Sends a pending subscription its confirmation request (an HTTP POST, an email-json record). */
export type ConfirmationSender = (subscription: SubscriptionRecord, topic: TopicRecord) => void;

export interface SubscribeRequest {
  topicArn: string;
  protocol: string;
  endpoint: string | undefined;
  attributes: Record<string, string>;
  owner: string;
}

export class SubscriptionService {
  constructor(
    private readonly repo: SnsRepo,
    private readonly topics: TopicService,
    private readonly clock: Clock,
    private readonly account: Account,
    private readonly sendConfirmation: ConfirmationSender,
  ) {}

  async subscribe(r: SubscribeRequest): Promise<SubscriptionRecord> {
    const topic = await this.topics.get(r.topicArn);
    const protocol = r.protocol.toLowerCase();
    if (NOT_IMPLEMENTED.has(protocol)) throw ProtocolErrors.notImplemented(`SNS's ${protocol} protocol`);
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) throw SnsErrors.invalidParameter(`Amazon SNS does not support this protocol string: ${r.protocol}`);
    const p = protocol as SubscriptionProtocol;
    const endpoint = r.endpoint ?? '';
    if (!ENDPOINT[p].test(endpoint)) throw SnsErrors.invalidParameter(`Invalid parameter: Endpoint`);
    if (p === 'sqs' && endpoint.endsWith('.fifo') && !isFifoTopic(topic)) {
      throw SnsErrors.invalidParameter('Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
    }
    const attributes = checkSubscriptionAttributes(p, r.attributes);
    // Subscribing the same endpoint again gives back the subscription it has.
    const existing = (await this.repo.subscriptionsOf(topic.arn, undefined)).find((s) => s.protocol === p && s.endpoint === endpoint);
    if (existing) {
      const same = Object.entries(attributes).every(([k, v]) => existing.attributes[k] === v);
      if (!same) throw SnsErrors.invalidParameter('Attributes Reason: Subscription already exists with different attributes');
      if (existing.state === 'PendingConfirmation') this.sendConfirmation(existing, topic);
      return existing;
    }
    const immediate = p === 'sqs' || p === 'lambda';
    const subscription: SubscriptionRecord = {
      arn: `${topic.arn}:${randomUUID()}`,
      topicArn: topic.arn,
      protocol: p,
      endpoint,
      owner: r.owner,
      state: immediate ? 'Confirmed' : 'PendingConfirmation',
      token: randomBytes(64).toString('hex'),
      attributes,
      createdAt: this.clock.now(),
    };
    await this.repo.putSubscription(subscription);
    if (!immediate) this.sendConfirmation(subscription, topic);
    return subscription;
  }

  /** The endpoint proves it asked for the messages by handing back the token it was sent. */
  async confirm(topicArn: string, token: string): Promise<SubscriptionRecord> {
    await this.topics.get(topicArn);
    const s = (await this.repo.subscriptionsOf(topicArn, undefined)).find((x) => x.token === token);
    if (!s) throw SnsErrors.invalidParameter('Invalid token');
    if (s.state === 'Confirmed') return s;
    if (!canTransition(s.state, 'Confirmed')) throw SnsErrors.invalidParameter(`Subscription cannot be confirmed from ${s.state}`);
    const confirmed: SubscriptionRecord = { ...s, state: 'Confirmed' };
    await this.repo.putSubscription(confirmed);
    return confirmed;
  }

  async unsubscribe(arn: string): Promise<void> {
    const s = await this.repo.getSubscription(arn);
    if (!s) throw SnsErrors.notFound('Subscription does not exist');
    await this.repo.deleteSubscription(arn);
  }

  async get(arn: string): Promise<SubscriptionRecord> {
    const s = await this.repo.getSubscription(arn);
    if (!s) throw SnsErrors.notFound('Subscription does not exist');
    return s;
  }

  /** A topic's confirmed subscriptions: the ones a publication goes to. */
  async confirmedOf(topicArn: string): Promise<SubscriptionRecord[]> {
    return (await this.repo.subscriptionsOf(topicArn, undefined)).filter((s) => s.state === 'Confirmed');
  }

  async counts(topicArn: string): Promise<{ confirmed: number; pending: number }> {
    const all = await this.repo.subscriptionsOf(topicArn, undefined);
    const confirmed = all.filter((s) => s.state === 'Confirmed').length;
    return { confirmed, pending: all.length - confirmed };
  }

  async list(nextToken: string | undefined): Promise<Page<SubscriptionRecord>> {
    return pageOf(await this.repo.listSubscriptions(decodeToken(nextToken), PAGE_SIZE + 1));
  }

  async listByTopic(topicArn: string, nextToken: string | undefined): Promise<Page<SubscriptionRecord>> {
    await this.topics.get(topicArn);
    return pageOf(await this.repo.subscriptionsOf(topicArn, decodeToken(nextToken), PAGE_SIZE + 1));
  }

  async attributes(arn: string): Promise<Record<string, string>> {
    const s = await this.get(arn);
    const out: Record<string, string> = {
      SubscriptionArn: s.arn,
      TopicArn: s.topicArn,
      Owner: s.owner,
      Protocol: s.protocol,
      Endpoint: s.endpoint,
      PendingConfirmation: String(s.state === 'PendingConfirmation'),
      ConfirmationWasAuthenticated: String(s.state === 'Confirmed'),
      RawMessageDelivery: 'false',
      SubscriptionPrincipal: `arn:aws:iam::${this.account.accountId}:user/selfless`,
      ...s.attributes,
    };
    if (s.attributes['FilterPolicy'] !== undefined) out['FilterPolicyScope'] ??= 'MessageAttributes';
    return out;
  }

  async setAttribute(arn: string, name: string, value: string | undefined): Promise<void> {
    const s = await this.get(arn);
    if (!SETTABLE_SUBSCRIPTION_ATTRIBUTES.has(name)) throw SnsErrors.invalidParameter('AttributeName');
    const attributes = { ...s.attributes };
    if (value === undefined || value === '') delete attributes[name];
    else attributes[name] = value;
    await this.repo.putSubscription({ ...s, attributes: checkSubscriptionAttributes(s.protocol, attributes) });
  }
}
