/**
 * HTTP/S deliveries that outlive the server: each is written to the store before its first attempt
 * and after each failure, so a restarted server resumes it at its next attempt; one that runs out of
 * retries goes to the dead-letter queue before it is forgotten.
 */
import type { Clock } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import type { SnsRepo } from '../../../storage/store.js';
import type { DeadLetters } from '../dead-letters.js';
import { notificationOf, storedNotification, type PendingDelivery } from '../model.js';
import type { Deliverer, Delivery } from './delivery.js';
import { DeliveryStopped, type HttpDelivery } from './http-delivery.js';

export class DurableHttpDelivery implements Deliverer {
  private readonly resumed = new Set<Promise<void>>();

  constructor(
    private readonly http: HttpDelivery,
    private readonly repo: SnsRepo,
    private readonly deadLetters: DeadLetters,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Resolves once delivered or dead-lettered; rejects only with DeliveryStopped (the record stays). */
  async deliver(d: Delivery): Promise<void> {
    const record: PendingDelivery = {
      id: `${d.notification.messageId}/${d.subscription.arn}`,
      subscriptionArn: d.subscription.arn,
      notification: storedNotification(d.notification),
      attempts: 0,
      nextAttemptAt: this.clock.now(),
    };
    await this.repo.putDelivery(record);
    await this.run(record, d);
  }

  /** Carries on with the deliveries a previous server left under way. */
  async resume(): Promise<number> {
    const pending = await this.repo.pendingDeliveries();
    for (const record of pending) {
      const subscription = await this.repo.getSubscription(record.subscriptionArn);
      const topic = subscription && (await this.repo.getTopic(subscription.topicArn));
      if (!subscription || !topic) {
        // The subscription went away: SNS stops delivering to it.
        this.logger.info('SNS delivery dropped: its subscription no longer exists', { subscription: record.subscriptionArn, messageId: record.notification.messageId });
        await this.repo.deleteDelivery(record.id);
        continue;
      }
      const p = this.run(record, { notification: notificationOf(record.notification), subscription, topic }).catch((err: unknown) => {
        if (!(err instanceof DeliveryStopped)) this.logger.error('SNS delivery failed unexpectedly', { id: record.id, error: String(err) });
      });
      this.resumed.add(p);
      void p.finally(() => this.resumed.delete(p));
    }
    return pending.length;
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.resumed]);
  }

  private async run(record: PendingDelivery, d: Delivery): Promise<void> {
    try {
      await this.http.deliver(d, {
        attempts: record.attempts,
        nextAttemptAt: record.nextAttemptAt,
        retrying: (attempts, nextAttemptAt) => this.repo.putDelivery({ ...record, attempts, nextAttemptAt }),
      });
    } catch (err) {
      if (err instanceof DeliveryStopped) throw err;
      await this.deadLetters.send(d, err instanceof Error ? err.message : String(err));
    }
    await this.repo.deleteDelivery(record.id);
  }
}
