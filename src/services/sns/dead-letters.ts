/**
 * What a subscription could not deliver goes to its dead-letter queue (RedrivePolicy), as the message
 * its queue would have received; without one, SNS drops it, and Selfless says so in its log.
 */
import type { Logger } from '../../lib/logger.js';
import type { QueueSystem } from '../sqs/queue-system.js';
import type { Delivery } from './deliveries/delivery.js';
import { sendToQueue, sqsBody } from './deliveries/sqs-delivery.js';
import type { EnvelopeContext } from './envelopes.js';
import { redrivePolicyOf } from './subscription-attributes.js';

export class DeadLetters {
  constructor(
    private readonly queues: QueueSystem,
    private readonly ctx: EnvelopeContext,
    private readonly logger: Logger,
  ) {}

  async send(d: Delivery, reason: string): Promise<void> {
    const fields = { subscription: d.subscription.arn, messageId: d.notification.messageId, reason };
    const policy = redrivePolicyOf(d.subscription.attributes);
    if (!policy) {
      this.logger.warn('SNS message not delivered, and its subscription has no dead-letter queue', fields);
      return;
    }
    try {
      await sendToQueue(this.queues, policy.deadLetterTargetArn, await sqsBody(this.ctx, d), d);
      this.logger.info('SNS message not delivered; sent to the dead-letter queue', { ...fields, deadLetterQueue: policy.deadLetterTargetArn });
    } catch (err) {
      this.logger.error('SNS message not delivered, nor to its dead-letter queue', { ...fields, deadLetterQueue: policy.deadLetterTargetArn, error: String(err) });
    }
  }
}
