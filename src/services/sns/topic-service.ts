/** SNS topics: create (standard or FIFO), attributes, tags, list and delete. */
import type { Clock } from '../../lib/clock.js';
import type { SnsRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { ProtocolErrors, SnsErrors } from '../../wire/errors.js';
import { isValidTopicName, topicArn, topicNameOf } from './arns.js';
import type { TopicRecord } from './model.js';
import { decodeToken, pageOf, PAGE_SIZE, type Page } from './pages.js';

/** Features behind these attributes are not served yet: accepting them would promise what is not done. */
const NOT_IMPLEMENTED_ATTRIBUTES = ['ArchivePolicy', 'DataProtectionPolicy'];

/** Attributes a caller may set; the rest of what GetTopicAttributes shows is derived. */
const SETTABLE = new Set([
  'DisplayName', 'Policy', 'DeliveryPolicy', 'FifoTopic', 'ContentBasedDeduplication', 'SignatureVersion',
  'TracingConfig', 'KmsMasterKeyId', 'FifoThroughputScope',
  ...NOT_IMPLEMENTED_ATTRIBUTES,
]);
const BOOLEAN = new Set(['FifoTopic', 'ContentBasedDeduplication']);
const JSON_VALUED = new Set(['Policy', 'DeliveryPolicy']);

const invalidAttribute = (reason: string) => SnsErrors.invalidParameter(`Attributes Reason: ${reason}`);

export const isFifoTopic = (t: TopicRecord): boolean => t.attributes['FifoTopic'] === 'true';

export interface SubscriptionCounts {
  confirmed: number;
  pending: number;
}

export class TopicService {
  constructor(
    private readonly repo: SnsRepo,
    private readonly clock: Clock,
    private readonly account: Account,
  ) {}

  async create(name: string, attributes: Record<string, string>, tags: Record<string, string>): Promise<string> {
    const normalized = normalize(attributes);
    const fifo = normalized['FifoTopic'] === 'true';
    if (!isValidTopicName(name, fifo)) {
      throw SnsErrors.invalidParameter(
        name.endsWith('.fifo') && !fifo ? 'Fifo Topic names must end with .fifo and they must have FifoTopic attribute set' : 'Topic Name',
      );
    }
    for (const [k, v] of Object.entries(normalized)) check(k, v, fifo);
    if (!fifo) delete normalized['FifoTopic'];
    const arn = topicArn(this.account, name);
    const stored = await this.repo.createTopic({ arn, name, attributes: normalized, tags, createdAt: this.clock.now() });
    // CreateTopic is idempotent, but not across different attributes or tags.
    for (const [k, v] of Object.entries(normalized)) {
      if (stored.attributes[k] !== v) throw SnsErrors.invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    for (const [k, v] of Object.entries(tags)) {
      if (stored.tags[k] !== v) throw SnsErrors.invalidParameter('Tags Reason: Topic already exists with different tags');
    }
    return arn;
  }

  /** The topic, or SNS's NotFound. */
  async get(arn: string): Promise<TopicRecord> {
    const topic = topicNameOf(this.account, arn) === undefined ? undefined : await this.repo.getTopic(arn);
    if (!topic) throw SnsErrors.notFound('Topic does not exist');
    return topic;
  }

  async delete(arn: string): Promise<void> {
    // Deleting a topic that is not there succeeds, as in SNS.
    await this.repo.deleteTopic(arn);
  }

  async list(nextToken: string | undefined): Promise<Page<TopicRecord>> {
    return pageOf(await this.repo.listTopics(decodeToken(nextToken), PAGE_SIZE + 1));
  }

  async attributes(arn: string, counts: SubscriptionCounts): Promise<Record<string, string>> {
    const t = await this.get(arn);
    const derived: Record<string, string> = {
      TopicArn: t.arn,
      Owner: this.account.accountId,
      Policy: defaultPolicy(t.arn, this.account.accountId),
      DisplayName: '',
      SubscriptionsConfirmed: String(counts.confirmed),
      SubscriptionsPending: String(counts.pending),
      SubscriptionsDeleted: '0',
      EffectiveDeliveryPolicy: JSON.stringify({ http: { defaultHealthyRetryPolicy: DEFAULT_HTTP_RETRY, disableSubscriptionOverrides: false } }),
    };
    if (isFifoTopic(t)) Object.assign(derived, { FifoTopic: 'true', ContentBasedDeduplication: 'false' });
    return { ...derived, ...t.attributes };
  }

  async setAttribute(arn: string, name: string, value: string | undefined): Promise<void> {
    const t = await this.get(arn);
    if (!SETTABLE.has(name)) throw SnsErrors.invalidParameter('AttributeName');
    if (name === 'FifoTopic') throw invalidAttribute('FifoTopic cannot be changed after the topic is created');
    const attributes = { ...t.attributes };
    if (value === undefined || value === '') delete attributes[name];
    else attributes[name] = normalize({ [name]: value })[name]!;
    if (attributes[name] !== undefined) check(name, attributes[name], isFifoTopic(t));
    await this.repo.updateTopic({ ...t, attributes });
  }

  async tags(arn: string): Promise<Record<string, string>> {
    return (await this.forTagging(arn)).tags;
  }

  async tag(arn: string, add: Record<string, string>, remove: readonly string[]): Promise<void> {
    const t = await this.forTagging(arn);
    const tags = { ...t.tags, ...add };
    for (const k of remove) delete tags[k];
    // SNS allows 50 tags on a resource.
    if (Object.keys(tags).length > 50) throw SnsErrors.invalidParameter('Tags Reason: Could not complete request: tag quota of per resource exceeded');
    await this.repo.updateTopic({ ...t, tags });
  }

  /** Tagging operations name a missing topic ResourceNotFound, not NotFound. */
  private async forTagging(arn: string): Promise<TopicRecord> {
    const t = topicNameOf(this.account, arn) === undefined ? undefined : await this.repo.getTopic(arn);
    if (!t) throw SnsErrors.resourceNotFound();
    return t;
  }
}

/** SNS's default HTTP/S retry policy: three retries, 20 seconds apart. */
export const DEFAULT_HTTP_RETRY = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/** Booleans are stored as SNS echoes them: lower case. */
function normalize(attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) out[k] = BOOLEAN.has(k) ? v.toLowerCase() : v;
  return out;
}

function check(name: string, value: string, fifo: boolean): void {
  if (!SETTABLE.has(name)) throw SnsErrors.invalidParameter('AttributeName');
  if (NOT_IMPLEMENTED_ATTRIBUTES.includes(name)) throw ProtocolErrors.notImplemented(`SNS's ${name}`);
  if (BOOLEAN.has(name) && value !== 'true' && value !== 'false') throw invalidAttribute(`${name} must be true or false`);
  if (name === 'ContentBasedDeduplication' && value === 'true' && !fifo) throw invalidAttribute('Content-Based Deduplication can only be set for FIFO topics');
  if (name === 'SignatureVersion' && value !== '1' && value !== '2') throw invalidAttribute('SignatureVersion must be 1 or 2');
  if (JSON_VALUED.has(name)) {
    try {
      JSON.parse(value);
    } catch {
      throw invalidAttribute(`${name}: failed to parse JSON`);
    }
  }
}

function defaultPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  });
}
