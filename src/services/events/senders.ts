/**
 * How EventBridge hands an event to each kind of target: a Lambda function gets an asynchronous
 * invocation (through the platform's durable async machinery, with the function's own retries),
 * once its resource policy lets events.amazonaws.com invoke it for the rule; an SQS queue gets a
 * message (FIFO: the target's message group, the event id as deduplication id).
 */
import type { AsyncInvocations } from '../../async/async-invocations.js';
import type { FunctionRecord } from '../../domain/function.js';
import type { FunctionService } from '../../functions/function-service.js';
import type { QueueSystem } from '../sqs/queue-system.js';
import { parseFunctionRef, type Account } from '../../wire/arn.js';
import { isQueueMissing, isResourceNotFound, isThrottled } from '../../wire/errors.js';
import { queueNameFromArn } from '../sqs/names.js';
import type { EventEnvelope } from './model.js';
import type { DeadLetterSink, TargetSender } from './target-delivery.js';
import { DeliveryError } from './target-delivery.js';

const EVENTS_PRINCIPAL = 'events.amazonaws.com';
/** Sender id on the messages EventBridge sends, as SQS shows SenderId. */
const EVENTS_SENDER = 'AROASELFLESSEVENTBRIDGE:selfless-events';

export function lambdaSender(functions: FunctionService, events: AsyncInvocations, account: Account): TargetSender {
  return {
    async send(target, body, _event, rule) {
      let ref;
      try {
        ref = parseFunctionRef(account, target.arn);
      } catch (err) {
        throw new DeliveryError('RESOURCE_NOT_FOUND', (err as Error).message, false);
      }
      const fn = await functions.get(ref.name).catch((err: unknown) => {
        throw isResourceNotFound(err) ? new DeliveryError('RESOURCE_NOT_FOUND', `Function ${target.arn} does not exist.`, false) : err;
      });
      if (!rule.viaRole && !allowsEvents(fn.policy, target.arn, rule.ruleArn)) {
        throw new DeliveryError('NO_PERMISSIONS', `The resource policy of ${target.arn} does not allow ${EVENTS_PRINCIPAL} to invoke it for ${rule.ruleArn}.`, false);
      }
      await events.submitRef(ref, Buffer.from(body, 'utf8')).catch((err: unknown) => {
        if (isThrottled(err)) throw new DeliveryError('THROTTLING', (err as Error).message, true);
        if (isResourceNotFound(err)) throw new DeliveryError('RESOURCE_NOT_FOUND', (err as Error).message, false);
        throw err;
      });
    },
  };
}

/**
 * Whether a statement allows events.amazonaws.com to call lambda:InvokeFunction on the target, with
 * any `AWS:SourceArn` condition matching the rule (ArnLike wildcards).
 */
export function allowsEvents(policy: FunctionRecord['policy'], targetArn: string, ruleArn: string): boolean {
  return policy.some((s) => {
    const st = s as Record<string, unknown>;
    if (st['Effect'] !== 'Allow') return false;
    const principal = st['Principal'];
    const service = typeof principal === 'object' && principal !== null ? (principal as Record<string, unknown>)['Service'] : undefined;
    if (principal !== '*' && service !== EVENTS_PRINCIPAL && !(Array.isArray(service) && service.includes(EVENTS_PRINCIPAL))) return false;
    const actions = ([] as unknown[]).concat(st['Action']);
    if (!actions.some((a) => a === 'lambda:InvokeFunction' || a === 'lambda:*' || a === '*')) return false;
    // A statement on the function covers the unqualified ARN only; a version or alias needs its own.
    const resource = st['Resource'];
    if (typeof resource === 'string' && !arnLike(resource, targetArn)) return false;
    const condition = st['Condition'] as Record<string, Record<string, string>> | undefined;
    const source = condition?.['ArnLike']?.['AWS:SourceArn'] ?? condition?.['ArnEquals']?.['AWS:SourceArn'];
    return source === undefined || arnLike(source, ruleArn);
  });
}

const arnLike = (pattern: string, arn: string): boolean =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(arn);

/**
 * Sends by the queue's URL, made from its ARN: the send reads the queue once (and refuses a missing one),
 * and a FIFO queue is known by its name, which must end in .fifo.
 */
export function sqsSender(queues: QueueSystem, account: Account): TargetSender {
  return {
    async send(target, body, event) {
      const name = queueNameFromArn(account, target.arn);
      const missing = () => new DeliveryError('RESOURCE_NOT_FOUND', `Queue ${target.arn} does not exist.`, false);
      if (name === undefined) throw missing();
      const fifo = name.endsWith('.fifo');
      if (fifo && target.messageGroupId === undefined) throw new DeliveryError('SDK_CLIENT_ERROR', 'A FIFO queue target needs SqsParameters.MessageGroupId.', false);
      const [outcome] = await queues.messages
        .send(queues.queues.url(name), [{ body, attributes: {}, systemAttributes: {}, ...(fifo ? { groupId: target.messageGroupId!, deduplicationId: event.id } : {}) }], EVENTS_SENDER)
        .catch((err: unknown) => {
          throw isQueueMissing(err) ? missing() : err;
        });
      if (outcome && !outcome.ok) throw new DeliveryError('SDK_CLIENT_ERROR', outcome.error.message, outcome.error.status >= 500);
    },
  };
}

/** What SNS takes from EventBridge: a message on a topic (FIFO topics: a group and a deduplication id). */
export type TopicPublish = (r: { topicArn: string; message: string; groupId?: string; deduplicationId?: string }) => Promise<unknown>;

export function snsSender(publish: TopicPublish): TargetSender {
  return {
    async send(target, body, event) {
      const fifo = target.arn.endsWith('.fifo');
      await publish({ topicArn: target.arn, message: body, ...(fifo ? { groupId: target.messageGroupId ?? 'default', deduplicationId: event.id } : {}) }).catch((err: unknown) => {
        if (isResourceNotFound(err)) throw new DeliveryError('RESOURCE_NOT_FOUND', `Topic ${target.arn} does not exist.`, false);
        if (isThrottled(err)) throw new DeliveryError('THROTTLING', (err as Error).message, true);
        throw new DeliveryError('SDK_CLIENT_ERROR', (err as Error).message, false);
      });
    },
  };
}

/** Another event bus: the event goes on as it is, to that bus's rules and archives. */
export function busSender(deliver: (event: EventEnvelope, busName: string) => Promise<void>): TargetSender {
  return {
    async send(target, _body, event) {
      const bus = /:event-bus\/(.+)$/.exec(target.arn)?.[1];
      if (bus === undefined) throw new DeliveryError('RESOURCE_NOT_FOUND', `${target.arn} is not an event bus.`, false);
      await deliver(event, bus).catch((err: unknown) => {
        if (isResourceNotFound(err)) throw new DeliveryError('RESOURCE_NOT_FOUND', `Event bus ${target.arn} does not exist.`, false);
        throw err;
      });
    },
  };
}

/** Chooses a sender by the ARN's resource type (`api-destination/...`), else the default one. */
export function byResource(senders: Readonly<Record<string, TargetSender>>, fallback: TargetSender): TargetSender {
  return {
    send(target, body, event, rule) {
      const type = /^arn:[^:]*:[^:]*:[^:]*:[^:]*:([^/:]+)/.exec(target.arn)?.[1];
      const sender = (type !== undefined ? senders[type] : undefined) ?? fallback;
      return sender.send(target, body, event, rule);
    },
  };
}

export function queueDeadLetters(queues: QueueSystem): DeadLetterSink {
  return {
    async deadLetter(queueArn, body, attributes) {
      const queue = await queues.queues.byArn(queueArn);
      if (!queue) throw new Error(`dead-letter queue ${queueArn} does not exist`);
      const attrs = Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [k, typeof v === 'number' ? { dataType: 'Number', stringValue: String(v) } : { dataType: 'String', stringValue: v }]),
      );
      const [outcome] = await queues.messages.send(queues.queues.url(queue.name), [{ body, attributes: attrs, systemAttributes: {} }], EVENTS_SENDER);
      if (outcome && !outcome.ok) throw outcome.error;
    },
  };
}
