/**
 * SNS to HTTP/S endpoints: a POST of the envelope (or the raw message), retried on failure per the
 * delivery policy on the injected clock, and the subscription-confirmation handshake.
 */
import { newTimeOrderedId } from '../../lib/ids.js';
import type { Clock, Timer } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import { confirmationEnvelope, messageFor, notificationEnvelope, type EnvelopeContext } from '../envelopes.js';
import type { SubscriptionRecord, TopicRecord } from '../model.js';
import { isRaw, signatureVersionOf, type Deliverer, type Delivery } from './delivery.js';
import { httpRetryPolicy, retryDelays } from './retry-policy.js';

// SNS gives an endpoint 15 seconds to answer.
const ATTEMPT_TIMEOUT_MS = 15_000;

export class DeliveryStopped extends Error {}

export class HttpDelivery implements Deliverer {
  private readonly waits = new Set<{ timer: Timer; reject: (err: Error) => void }>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly ctx: EnvelopeContext,
    private readonly logger: Logger,
  ) {}

  async deliver(d: Delivery): Promise<void> {
    const { notification: n, subscription: s } = d;
    const raw = isRaw(s);
    const body = raw ? messageFor(n, s.protocol) : JSON.stringify(notificationEnvelope(this.ctx, n, s, signatureVersionOf(d.topic)));
    const headers: Record<string, string> = {
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': n.messageId,
      'x-amz-sns-topic-arn': n.topicArn,
      'x-amz-sns-subscription-arn': s.arn,
      ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
    };
    await this.withRetries(s.endpoint, body, headers, retryDelays(httpRetryPolicy(d.topic, s)));
  }

  /** Sends the SubscriptionConfirmation; an endpoint that never takes it leaves the subscription pending. */
  confirm(s: SubscriptionRecord, topic: TopicRecord): void {
    const messageId = newTimeOrderedId(this.clock.now());
    const body = JSON.stringify(confirmationEnvelope(this.ctx, s, messageId, this.clock.now(), signatureVersionOf(topic)));
    const headers = { 'x-amz-sns-message-type': 'SubscriptionConfirmation', 'x-amz-sns-message-id': messageId, 'x-amz-sns-topic-arn': s.topicArn };
    this.withRetries(s.endpoint, body, headers, retryDelays(httpRetryPolicy(topic, s))).catch((err: unknown) => {
      if (!(err instanceof DeliveryStopped)) this.logger.warn('SNS subscription confirmation was not delivered', { subscription: s.arn, endpoint: s.endpoint, error: String(err) });
    });
  }

  /** Cancels pending retries: their deliveries reject with DeliveryStopped. */
  stop(): void {
    this.stopped = true;
    for (const w of this.waits) {
      w.timer.cancel();
      w.reject(new DeliveryStopped('the server is stopping'));
    }
    this.waits.clear();
  }

  private async withRetries(url: string, body: string, headers: Record<string, string>, delays: number[]): Promise<void> {
    let last = '';
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) throw new DeliveryStopped('the server is stopping');
      last = await this.post(url, body, headers);
      if (last === '') return;
      if (attempt >= delays.length) throw new Error(`${attempt + 1} attempts failed; the last: ${last}`);
      await this.sleep(delays[attempt]! * 1000);
    }
  }

  /** One attempt: '' when the endpoint took the message (2xx), else why not. */
  private async post(url: string, body: string, headers: Record<string, string>): Promise<string> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'text/plain; charset=UTF-8', 'user-agent': 'Amazon Simple Notification Service Agent', ...headers },
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status >= 200 && res.status < 300 ? '' : `HTTP ${res.status}`;
    } catch (err) {
      return String((err as Error).cause ?? err);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const w = {
        timer: this.clock.setTimeout(() => {
          this.waits.delete(w);
          resolve();
        }, ms),
        reject,
      };
      this.waits.add(w);
    });
  }
}
