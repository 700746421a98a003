/**
 * Delivery of matched events to rules' targets, with each target's retry policy and dead-letter queue.
 * A retryable failure (throttling, an internal error) is tried again with exponential backoff until
 * the target's MaximumRetryAttempts or MaximumEventAgeInSeconds runs out; a failure that retrying
 * cannot mend (missing permission, missing resource) goes to the dead-letter queue at once, as in
 * EventBridge. Dead letters carry the original event and EventBridge's message attributes.
 * A delivery waiting for a retry is kept in the store and resumed at start; a node takes it from the
 * store before running it, so one retry runs once.
 */
import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { EventDeliveryRepo } from '../../storage/store.js';
import type { EventCounters } from './counters.js';
import type { EventEnvelope, PendingDelivery, TargetRecord } from './model.js';
import { renderTargetInput, type RuleContext } from './target-input.js';

/** Why a delivery failed, in the ERROR_CODE terms EventBridge writes on dead letters. */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export interface TargetSender {
  /** Sends `body` to the target; throws a DeliveryError when it cannot. */
  send(target: TargetRecord, body: string, event: EventEnvelope, rule: RuleContext): Promise<void>;
}

export interface DeadLetterSink {
  /** Sends the event to the queue with the given message attributes (strings and numbers). */
  deadLetter(queueArn: string, body: string, attributes: Record<string, string | number>): Promise<void>;
}

export interface DeliveryJob {
  event: EventEnvelope;
  /** What a dead-letter queue gets, when not the event (Scheduler sends its payload). */
  deadLetterBody?: string;
  rule: RuleContext;
  target: TargetRecord;
}

/** Backoff before the n-th retry: 1 s doubling to at most 3 minutes, times the retry scale. */
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 180_000;
const MIN_DELAY_MS = 20;

export interface TargetDeliveryDeps {
  /** By the service of the target's ARN: lambda, sqs, sns, events. */
  senders: Readonly<Record<string, TargetSender>>;
  deadLetters: DeadLetterSink;
  pending: EventDeliveryRepo;
  counters: EventCounters;
  clock: Clock;
  logger: Logger;
  /** Multiplies every backoff (the --async-retry-scale option), so that tests need not wait. */
  retryScale: number;
}

export class TargetDelivery {
  private readonly timers = new Set<Timer>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly d: TargetDeliveryDeps) {}

  submit(job: DeliveryJob): void {
    this.run(job, 0);
  }

  /** Resumes the retries a previous server left waiting. */
  async start(): Promise<void> {
    const waiting = await this.d.pending.list();
    for (const p of waiting) this.wait(p);
    if (waiting.length > 0) this.d.logger.info('event deliveries resumed after restart', { deliveries: waiting.length });
  }

  /** No new attempts; waiting retries stay in the store for the next start; attempts under way finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private run(job: DeliveryJob, retries: number): void {
    if (this.stopped) return;
    const p = this.attempt(job, retries).finally(() => this.running.delete(p));
    this.running.add(p);
  }

  private async attempt(job: DeliveryJob, retries: number): Promise<void> {
    const { target, rule, event } = job;
    let failure: DeliveryError;
    try {
      const body = renderTargetInput(target.input, event, rule);
      await this.sender(target.arn).send(target, body, event, rule);
      this.d.counters.delivered(rule.ruleArn);
      return;
    } catch (err) {
      failure = err instanceof DeliveryError ? err : new DeliveryError('INTERNAL_ERROR', (err as Error).message, true);
    }
    const ageMs = this.d.clock.now() - rule.ingestedAt;
    const delay = this.backoff(retries + 1);
    let exhausted: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' | undefined;
    if (failure.retryable) {
      if (retries >= target.maximumRetryAttempts) exhausted = 'MaximumRetryAttempts';
      else if (ageMs + delay > target.maximumEventAgeSeconds * 1000) exhausted = 'MaximumEventAgeInSeconds';
      else {
        const pending: PendingDelivery = { id: randomUUID(), dueAt: this.d.clock.now() + delay, retries: retries + 1, job };
        await this.d.pending.put(pending);
        this.wait(pending);
        return;
      }
    }
    this.d.counters.failed(rule.ruleArn);
    this.d.logger.warn('event delivery failed', { rule: rule.ruleArn, target: target.arn, eventId: event.id, error: failure.message, retries });
    if (target.deadLetterArn === undefined) return;
    const attributes: Record<string, string | number> = {
      [rule.sourceAttribute ?? 'RULE_ARN']: rule.ruleArn,
      TARGET_ARN: target.arn,
      ERROR_CODE: failure.code,
      ERROR_MESSAGE: failure.message.slice(0, 1024),
      RETRY_ATTEMPTS: retries,
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: exhausted } : {}),
    };
    await this.d.deadLetters.deadLetter(target.deadLetterArn, job.deadLetterBody ?? JSON.stringify(event), attributes).catch((err: unknown) => {
      this.d.logger.warn('event dead-letter delivery failed', { deadLetterArn: target.deadLetterArn, eventId: event.id, error: (err as Error).message });
    });
  }

  private wait(p: PendingDelivery): void {
    if (this.stopped) return;
    const timer = this.d.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      const run = this.d.pending.take(p.id).then(
        (mine) => (mine ? this.attempt(p.job, p.retries) : undefined),
        (err: unknown) => this.d.logger.warn('event delivery retry could not start', { error: (err as Error).message }),
      );
      const tracked = run.finally(() => this.running.delete(tracked));
      this.running.add(tracked);
    }, Math.max(0, p.dueAt - this.d.clock.now()));
    this.timers.add(timer);
  }

  private sender(arn: string): TargetSender {
    const sender = this.d.senders[arn.split(':')[2] ?? ''];
    if (!sender) throw new DeliveryError('SDK_CLIENT_ERROR', `Selfless cannot deliver to ${arn}.`, false);
    return sender;
  }

  private backoff(retry: number): number {
    const ms = Math.min(FIRST_RETRY_MS * 2 ** (retry - 1), MAX_RETRY_MS);
    return Math.max(MIN_DELAY_MS, Math.round(ms * this.d.retryScale));
  }
}
