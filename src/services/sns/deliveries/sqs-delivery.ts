/** SNS to SQS: the JSON envelope, or the raw message with its attributes as SQS message attributes. */
import type { MessageAttributes } from '../../sqs/model.js';
import type { QueueSystem } from '../../sqs/queue-system.js';
import { messageFor, notificationEnvelope, type EnvelopeContext } from '../envelopes.js';
import type { SnsMessageAttributes } from '../model.js';
import { isRaw, signatureVersionOf, type Deliverer, type Delivery } from './delivery.js';

/** The sender SQS shows on messages SNS sent. */
const SNS_SENDER = 'AIDASELFLESSSNSSERVICE';

export function sqsAttributes(attributes: SnsMessageAttributes): MessageAttributes {
  const out: MessageAttributes = {};
  for (const [name, a] of Object.entries(attributes)) {
    out[name] = a.binaryValue !== undefined ? { dataType: a.dataType, binaryValue: a.binaryValue.toString('base64') } : { dataType: a.dataType, stringValue: a.stringValue ?? '' };
  }
  return out;
}

/** The body an SQS queue gets for a delivery (also what a dead-letter queue gets). */
export async function sqsBody(ctx: EnvelopeContext, d: Delivery): Promise<{ body: string; attributes: MessageAttributes }> {
  if (isRaw(d.subscription)) return { body: messageFor(d.notification, d.subscription.protocol), attributes: sqsAttributes(d.notification.attributes) };
  return { body: JSON.stringify(await notificationEnvelope(ctx, d.notification, d.subscription, signatureVersionOf(d.topic))), attributes: {} };
}

export class SqsDelivery implements Deliverer {
  constructor(
    private readonly queues: QueueSystem,
    private readonly ctx: EnvelopeContext,
  ) {}

  async deliver(d: Delivery): Promise<void> {
    await sendToQueue(this.queues, d.subscription.endpoint, await sqsBody(this.ctx, d), d);
  }
}

/** Sends one message to the queue with this ARN; rejects when the queue is gone or refuses it. */
export async function sendToQueue(queues: QueueSystem, queueArn: string, m: { body: string; attributes: MessageAttributes }, d: Delivery): Promise<void> {
  const queue = await queues.queues.byArn(queueArn);
  if (!queue) throw new Error(`the queue ${queueArn} does not exist`);
  const n = d.notification;
  const fifo = queue.settings.fifoQueue;
  const [outcome] = await queues.messages.send(
    queues.queues.url(queue.name),
    [
      {
        body: m.body,
        attributes: m.attributes,
        systemAttributes: {},
        ...(fifo ? { groupId: n.groupId ?? n.topicArn, deduplicationId: n.deduplicationId ?? n.messageId } : {}),
      },
    ],
    SNS_SENDER,
  );
  if (!outcome!.ok) throw new Error(`the queue ${queueArn} refused the message: ${outcome!.error.message}`);
}
