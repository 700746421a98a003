/**
 * SNS to email-json: Selfless sends no mail; each message (and each confirmation request) is written
 * to the server's log, where a developer finds it and its SubscribeURL.
 */
import type { Logger } from '../../../lib/logger.js';
import { newTimeOrderedId } from '../../../lib/ids.js';
import type { Clock } from '../../../lib/clock.js';
import { confirmationEnvelope, notificationEnvelope, type EnvelopeContext } from '../envelopes.js';
import type { SubscriptionRecord, TopicRecord } from '../model.js';
import { signatureVersionOf, type Deliverer, type Delivery } from './delivery.js';

export class EmailJsonDelivery implements Deliverer {
  constructor(
    private readonly clock: Clock,
    private readonly ctx: EnvelopeContext,
    private readonly logger: Logger,
  ) {}

  async deliver(d: Delivery): Promise<void> {
    const message = await notificationEnvelope(this.ctx, d.notification, d.subscription, signatureVersionOf(d.topic));
    this.logger.info('SNS email-json message', { to: d.subscription.endpoint, subscription: d.subscription.arn, message });
  }

  confirm(s: SubscriptionRecord, topic: TopicRecord): void {
    const now = this.clock.now();
    confirmationEnvelope(this.ctx, s, newTimeOrderedId(now), now, signatureVersionOf(topic)).then(
      (message) => this.logger.info('SNS email-json subscription confirmation', { to: s.endpoint, subscription: s.arn, message }),
      (err: unknown) => this.logger.warn('SNS email-json subscription confirmation could not be signed', { subscription: s.arn, error: String(err) }),
    );
  }
}
