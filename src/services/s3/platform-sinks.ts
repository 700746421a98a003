/** S3's notification destinations on this platform: its functions (async invocations), its queues, its topics and its default event bus. */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '../events/model.js';
import type { AsyncSystem } from '../../async/async-system.js';
import type { FunctionService } from '../../functions/function-service.js';
import type { QueueSystem } from '../sqs/queue-system.js';
import type { SnsSystem } from '../sns/sns-system.js';
import { parseFunctionRef, type Account } from '../../wire/arn.js';
import type { NotificationSinks } from './notifier.js';

const S3_PRINCIPAL = 's3.amazonaws.com';
/** The sender id S3's messages carry. */
const S3_SENDER = 'AIDAJQOC3SADRY5PEOPSELFLESS';

type Statement = Record<string, unknown>;

const globMatch = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value);

/** As Lambda evaluates a resource policy for S3: Allow, S3's service principal (or anyone), InvokeFunction, a source ARN that fits the bucket. */
function allowsS3(statement: Statement, bucket: string, account: string): boolean {
  if (statement['Effect'] !== 'Allow') return false;
  const principal = statement['Principal'];
  const service = typeof principal === 'object' && principal !== null ? (principal as Record<string, unknown>)['Service'] : undefined;
  if (principal !== '*' && service !== S3_PRINCIPAL && !(Array.isArray(service) && service.includes(S3_PRINCIPAL))) return false;
  const actions = ([] as unknown[]).concat(statement['Action']);
  if (!actions.some((a) => typeof a === 'string' && globMatch(a, 'lambda:InvokeFunction'))) return false;
  const condition = (statement['Condition'] ?? {}) as Record<string, Record<string, string>>;
  const sourceArn = condition['ArnLike']?.['AWS:SourceArn'] ?? condition['ArnEquals']?.['AWS:SourceArn'];
  if (sourceArn !== undefined && !globMatch(sourceArn, `arn:aws:s3:::${bucket}`)) return false;
  const sourceAccount = condition['StringEquals']?.['AWS:SourceAccount'];
  return sourceAccount === undefined || sourceAccount === account;
}

/** The subject S3 gives the messages it publishes to topics. */
const S3_SUBJECT = 'Amazon S3 Notification';

export function platformSinks(
  functions: FunctionService,
  asyncSystem: AsyncSystem,
  queues: QueueSystem,
  account: Account,
  sns: Pick<SnsSystem, 'topics' | 'publisher'>,
  /** Puts an event on an event bus (EventBridge's ingest). */
  putOnBus: (event: EventEnvelope, busName: string) => Promise<void>,
): NotificationSinks {
  const queueUrl = async (arn: string) => {
    const queue = await queues.queues.byArn(arn);
    if (!queue) throw new Error(`queue ${arn} does not exist`);
    return queues.queues.url(queue.name);
  };
  return {
    accountId: account.accountId,
    async putEvent(e) {
      const time = new Date(Math.floor(e.time / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      await putOnBus(
        { version: '0', id: randomUUID(), 'detail-type': e.detailType, source: 'aws.s3', account: account.accountId, time, region: e.region, resources: [`arn:aws:s3:::${e.bucket}`], detail: e.detail },
        'default',
      );
    },
    async checkFunction(arn, bucket) {
      const fn = await functions.get(parseFunctionRef(account, arn).name);
      if (!fn.policy.some((s) => allowsS3(s, bucket, account.accountId))) throw new Error(`the policy of ${arn} does not let S3 invoke it`);
    },
    async checkQueue(arn) {
      await queueUrl(arn);
    },
    async checkTopic(arn) {
      const topic = await sns.topics.get(arn);
      if (topic.attributes['FifoTopic'] === 'true') throw new Error(`${arn} is a FIFO topic`);
    },
    async publishToTopic(arn, body) {
      await sns.publisher.publish({ topicArn: arn, message: body, subject: S3_SUBJECT, attributes: {} });
    },
    async invokeAsync(arn, payload) {
      await asyncSystem.events.submitRef(parseFunctionRef(account, arn), Buffer.from(payload));
    },
    async sendToQueue(arn, body) {
      const [outcome] = await queues.messages.send(await queueUrl(arn), [{ body, attributes: {}, systemAttributes: {} }], S3_SENDER);
      if (outcome && !outcome.ok) throw outcome.error;
    },
  };
}
