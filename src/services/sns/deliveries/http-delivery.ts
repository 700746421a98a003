/**
 * SNS to HTTP/S endpoints: a POST of the envelope (or the raw message), retried on failure per the
 * delivery policy on the injected clock, and the subscription-confirmation handshake.
 */
import { newTimeOrderedId } from '../../../lib/ids.js';
import type { Clock, Timer } from '../../../lib/clock.js';
import type { Logger } from '../../../lib/logger.js';
import { confirmationEnvelope, messageFor, notificationEnvelope, type EnvelopeContext } from '../envelopes.js';
import type { SubscriptionRecord, TopicRecord } from '../model.js';
import { isRaw, signatureVersionOf, type Deliverer, type Delivery } from './delivery.js';
import { httpRetryPolicy, retryDelays } from './retry-policy.js';

// SNS gives an endpoint 15 seconds to answer.
const ATTEMPT_TIMEOUT_MS = 15_000;

export class DeliveryStopped extends Error {}

/** Where a delivery stands, so that a restarted server carries on from its next attempt. */
export interface RetryProgress {
  /** Attempts already made. */
  attempts: number;
  /** Epoch ms of the next attempt. */
  nextAttemptAt: number;
  /** Records a failed attempt and when the next one is due, before waiting for it. */
  retrying(attempts: number, nextAttemptAt: number): Promise<void>;
}

export class HttpDelivery implements Deliverer {
  private readonly waits = new Set<{ timer: Timer; reject: (err: Error) => void }>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly ctx: EnvelopeContext,
    private readonly logger: Logger,
  ) {}

  async deliver(d: Delivery, progress?: RetryProgress): Promise<void> {
    const { notification: n, subscription: s } = d;
    const raw = isRaw(s);
    const body = raw ? messageFor(n, s.protocol) : JSON.stringify(await notificationEnvelope(this.ctx, n, s, signatureVersionOf(d.topic)));
    const headers: Record<string, string> = {
      'x-amz-sns-message-type': 'Notification',
      'x-amz-sns-message-id': n.messageId,
      'x-amz-sns-topic-arn': n.topicArn,
      'x-amz-sns-subscription-arn': s.arn,
      ...(raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
    };
    await this.withRetries(s.endpoint, body, headers, retryDelays(httpRetryPolicy(d.topic, s)), progress);
  }

  /** Sends the SubscriptionConfirmation; an endpoint that never takes it leaves the subscription pending. */
  confirm(s: SubscriptionRecord, topic: TopicRecord): void {
    const messageId = newTimeOrderedId(this.clock.now());
    const headers = { 'x-amz-sns-message-type': 'SubscriptionConfirmation', 'x-amz-sns-message-id': messageId, 'x-amz-sns-topic-arn': s.topicArn };
    confirmationEnvelope(this.ctx, s, messageId, this.clock.now(), signatureVersionOf(topic))
      .then((envelope) => this.withRetries(s.endpoint, JSON.stringify(envelope), headers, retryDelays(httpRetryPolicy(topic, s))))
      .catch((err: unknown) => {
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

  private async withRetries(url: string, body: string, headers: Record<string, string>, delays: number[], progress?: RetryProgress): Promise<void> {
    let attempt = progress?.attempts ?? 0;
    const wait = progress ? progress.nextAttemptAt - this.clock.now() : 0;
    if (wait > 0) await this.sleep(wait);
    for (; ; attempt++) {
      if (this.stopped) throw new DeliveryStopped('the server is stopping');
      const failure = await this.post(url, body, headers);
      if (failure === '') return;
      if (attempt >= delays.length) throw new Error(`${attempt + 1} attempts failed; the last: ${failure}`);
      const delayMs = delays[attempt]! * 1000;
      await progress?.retrying(attempt + 1, this.clock.now() + delayMs);
      await this.sleep(delayMs);
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
    // A wait that begins after stop() (its delivery was writing its progress) must not hang the stop.
    if (this.stopped) return Promise.reject(new DeliveryStopped('the server is stopping'));
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
