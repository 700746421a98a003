/**
 * Queues themselves: create (idempotent with the same attributes), look up by name, URL or ARN,
 * list, delete, attributes (settable and computed), purge, tags and dead-letter sources.
 */
import type { Clock } from '../../lib/clock.js';
import type { ChangeSignals } from '../../storage/change-signals.js';
import type { QueueRepo } from '../../storage/store.js';
import type { Account } from '../../wire/arn.js';
import { SqsErrors } from '../../wire/errors.js';
import { applyAttributes, COMPUTED_ATTRIBUTES, defaultSettings, firstDifference, isKnownAttribute, settingsToAttributes } from './attributes.js';
import type { QueueRecord } from './model.js';
import { QueueCache } from './queue-cache.js';
import { isValidQueueName, queueArn, queueNameFromArn, queueNameFromUrl, queueUrl } from './names.js';

export interface QueueServiceOptions {
  repo: QueueRepo;
  clock: Clock;
  account: Account;
  /** The server's base URL, known once it listens. */
  baseUrl: () => string;
  /** Called when a queue's messages change outside the message path (purge, delete). */
  changed: (queue: string) => void;
  /** Other nodes' changes to queue records; this node's are published on it. */
  signals?: ChangeSignals;
}

/** The channel of change signals naming queues whose record (attributes, existence) changed. */
const RECORD_CHANNEL = 'sqs-queues';
/** How long the message paths trust a queue record read before, when no signal said it changed. */
const RECORD_CACHE_MS = 1000;

const PURGE_INTERVAL_MS = 60_000;

export class QueueService {
  private readonly lastPurge = new Map<string, number>();
  private readonly cache: QueueCache;
  private readonly unsubscribe: () => void;

  constructor(private readonly o: QueueServiceOptions) {
    this.cache = new QueueCache((name) => o.repo.getQueue(name), o.clock, RECORD_CACHE_MS);
    this.unsubscribe = o.signals?.subscribe(RECORD_CHANNEL, (name) => this.cache.forget(name)) ?? (() => undefined);
  }

  close(): void {
    this.unsubscribe();
  }

  url = (name: string): string => queueUrl(this.o.baseUrl(), this.o.account, name);
  arn = (name: string): string => queueArn(this.o.account, name);

  async byUrl(url: string): Promise<QueueRecord> {
    const name = queueNameFromUrl(this.o.account, url);
    const queue = name === undefined ? undefined : await this.o.repo.getQueue(name);
    if (!queue) throw SqsErrors.queueDoesNotExist();
    return queue;
  }

  /**
   * The queue a send, receive, delete or visibility change works on: a record read a moment ago will
   * do (see QueueCache), as SQS itself spreads attribute changes over up to 60 s.
   */
  async forMessages(url: string): Promise<QueueRecord> {
    const name = queueNameFromUrl(this.o.account, url);
    const queue = name === undefined ? undefined : await this.cache.get(name);
    if (!queue) throw SqsErrors.queueDoesNotExist();
    return queue;
  }

  /** A queue's record changed or it is gone: sends here and on the other nodes read it again. */
  private recordChanged(name: string): void {
    this.cache.forget(name);
    this.o.signals?.publish(RECORD_CHANNEL, [name]);
  }

  async byArn(arn: string): Promise<QueueRecord | undefined> {
    const name = queueNameFromArn(this.o.account, arn);
    return name === undefined ? undefined : this.o.repo.getQueue(name);
  }

  async create(name: string, attributes: Record<string, string>, tags: Record<string, string>): Promise<string> {
    const fifoAttr = attributes['FifoQueue']?.toLowerCase() === 'true';
    if (!isValidQueueName(name, fifoAttr)) {
      throw SqsErrors.invalidParameterValue(
        fifoAttr || name.endsWith('.fifo')
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const settings = applyAttributes(defaultSettings(fifoAttr), attributes, true);
    await this.checkRedrive(settings.redrivePolicy?.deadLetterTargetArn, settings.fifoQueue);
    const existing = await this.o.repo.getQueue(name);
    if (existing) {
      const diff = firstDifference(existing.settings, settings, attributes);
      if (diff !== undefined) throw SqsErrors.queueNameExists(diff);
      return this.url(name);
    }
    const now = this.o.clock.now();
    const created = await this.o.repo.createQueue({ name, settings, createdAt: now, modifiedAt: now, tags });
    if (!created) return this.create(name, attributes, tags); // lost a race: compare with the winner
    return this.url(name);
  }

  async getUrl(name: string, ownerAccount: string | undefined): Promise<string> {
    if (ownerAccount !== undefined && ownerAccount !== this.o.account.accountId) throw SqsErrors.queueDoesNotExist();
    if (!(await this.o.repo.getQueue(name))) throw SqsErrors.queueDoesNotExist();
    return this.url(name);
  }

  /** SQS returns a NextToken only when MaxResults was given. */
  async list(prefix: string, maxResults: number | undefined, nextToken: string | undefined): Promise<{ urls: string[]; nextToken?: string }> {
    if (maxResults !== undefined && (maxResults < 1 || maxResults > 1000)) {
      throw SqsErrors.invalidParameterValue(`Value ${maxResults} for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.`);
    }
    const after = nextToken === undefined ? undefined : decodeToken(nextToken);
    const limit = maxResults ?? 1000;
    const queues = await this.o.repo.listQueues(prefix, after, limit + 1);
    const page = queues.slice(0, limit);
    const urls = page.map((q) => this.url(q.name));
    return maxResults !== undefined && queues.length > limit ? { urls, nextToken: encodeToken(page[page.length - 1]!.name) } : { urls };
  }

  async delete(url: string): Promise<void> {
    const queue = await this.byUrl(url);
    await this.o.repo.deleteQueue(queue.name);
    this.recordChanged(queue.name);
    this.o.changed(queue.name);
  }

  async getAttributes(url: string, names: readonly string[]): Promise<Record<string, string>> {
    const queue = await this.byUrl(url);
    for (const n of names) if (!isKnownAttribute(n, queue.settings.fifoQueue)) throw SqsErrors.invalidAttributeName(n);
    const all = names.includes('All');
    const wanted = (n: string) => all || names.includes(n);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(settingsToAttributes(queue.settings))) if (wanted(k)) out[k] = v;
    if (COMPUTED_ATTRIBUTES.some(wanted)) {
      const now = this.o.clock.now();
      const counts = await this.o.repo.counts(queue.name, now);
      const computed: Record<(typeof COMPUTED_ATTRIBUTES)[number], string> = {
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        ApproximateAgeOfOldestMessage: String(counts.oldestSentAt === undefined ? 0 : Math.max(0, Math.floor((now - counts.oldestSentAt) / 1000))),
        CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
        LastModifiedTimestamp: String(Math.floor(queue.modifiedAt / 1000)),
        QueueArn: this.arn(queue.name),
      };
      for (const [k, v] of Object.entries(computed)) if (wanted(k)) out[k] = v;
    }
    return out;
  }

  async setAttributes(url: string, attributes: Record<string, string>): Promise<void> {
    const queue = await this.byUrl(url);
    const settings = applyAttributes(queue.settings, attributes, false);
    await this.checkRedrive(settings.redrivePolicy?.deadLetterTargetArn, settings.fifoQueue);
    await this.o.repo.updateQueue({ ...queue, settings, modifiedAt: this.o.clock.now() });
    this.recordChanged(queue.name);
    this.o.changed(queue.name);
  }

  async purge(url: string): Promise<void> {
    const queue = await this.byUrl(url);
    const now = this.o.clock.now();
    const last = this.lastPurge.get(queue.name);
    if (last !== undefined && now - last < PURGE_INTERVAL_MS) throw SqsErrors.purgeInProgress(queue.name);
    this.lastPurge.set(queue.name, now);
    await this.o.repo.purge(queue.name, now);
    this.o.changed(queue.name);
  }

  async tags(url: string): Promise<Record<string, string>> {
    return (await this.byUrl(url)).tags;
  }

  async tag(url: string, tags: Record<string, string>, untag: readonly string[]): Promise<void> {
    const queue = await this.byUrl(url);
    const next = { ...queue.tags, ...tags };
    for (const k of untag) delete next[k];
    await this.o.repo.updateQueue({ ...queue, tags: next });
  }

  /**
   * AddPermission: a statement in the queue's Policy attribute, labelled, letting the given accounts
   * call the given actions. Policies are stored and shown, not yet evaluated.
   */
  async addPermission(url: string, label: string, accounts: readonly string[], actions: readonly string[]): Promise<void> {
    const queue = await this.byUrl(url);
    const arn = this.arn(queue.name);
    const policy = parsePolicy(queue.settings.passthrough['Policy']) ?? { Version: '2012-10-17', Id: `${arn}/SQSDefaultPolicy`, Statement: [] };
    if (policy.Statement.some((s) => s.Sid === label)) {
      throw SqsErrors.invalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: Already exists.`);
    }
    policy.Statement.push({
      Sid: label,
      Effect: 'Allow',
      Principal: { AWS: accounts.map((a) => `arn:aws:iam::${a}:root`) },
      Action: actions.map((a) => (a === '*' ? 'SQS:*' : `SQS:${a}`)),
      Resource: arn,
    });
    await this.setPolicy(queue, policy);
  }

  async removePermission(url: string, label: string): Promise<void> {
    const queue = await this.byUrl(url);
    const policy = parsePolicy(queue.settings.passthrough['Policy']);
    if (!policy?.Statement.some((s) => s.Sid === label)) {
      throw SqsErrors.invalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: can't find label.`);
    }
    policy.Statement = policy.Statement.filter((s) => s.Sid !== label);
    await this.setPolicy(queue, policy.Statement.length > 0 ? policy : undefined);
  }

  private async setPolicy(queue: QueueRecord, policy: QueuePolicy | undefined): Promise<void> {
    const passthrough = { ...queue.settings.passthrough };
    if (policy) passthrough['Policy'] = JSON.stringify(policy);
    else delete passthrough['Policy'];
    await this.o.repo.updateQueue({ ...queue, settings: { ...queue.settings, passthrough }, modifiedAt: this.o.clock.now() });
    this.recordChanged(queue.name);
    this.o.changed(queue.name);
  }

  /** Queues whose RedrivePolicy targets this one. */
  async deadLetterSources(url: string): Promise<string[]> {
    const queue = await this.byUrl(url);
    const arn = this.arn(queue.name);
    const all = await this.o.repo.listQueues('', undefined, 100_000);
    return all.filter((q) => q.settings.redrivePolicy?.deadLetterTargetArn === arn).map((q) => this.url(q.name));
  }

  private async checkRedrive(targetArn: string | undefined, fifo: boolean): Promise<void> {
    if (targetArn === undefined) return;
    const target = await this.byArn(targetArn);
    const bad = (reason: string) =>
      SqsErrors.invalidParameterValue(`Value {"deadLetterTargetArn":"${targetArn}"} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
    if (!target) throw bad('Dead letter target does not exist.');
    if (target.settings.fifoQueue !== fifo) throw bad('Dead-letter queue must be same type of queue as the source.');
  }
}

const encodeToken = (name: string): string => Buffer.from(JSON.stringify({ after: name }), 'utf8').toString('base64');

function decodeToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    // fall through
  }
  throw SqsErrors.invalidParameterValue('Invalid NextToken value.');
}

interface QueuePolicy {
  Version: string;
  Id?: string;
  Statement: { Sid?: string; [k: string]: unknown }[];
}

/** The queue's Policy attribute, when it is a policy document with statements. */
function parsePolicy(text: string | undefined): QueuePolicy | undefined {
  if (text === undefined) return undefined;
  try {
    const p = JSON.parse(text) as Partial<QueuePolicy> | null;
    if (p && typeof p === 'object' && Array.isArray(p.Statement)) return { Version: p.Version ?? '2012-10-17', ...p, Statement: p.Statement } as QueuePolicy;
  } catch {
    // not JSON: replaced by a new document
  }
  return undefined;
}
