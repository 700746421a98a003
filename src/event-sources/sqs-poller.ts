/**
 * Polls a queue of the built-in queue service for one mapping and invokes the function with
 * batches, as Lambda's SQS poller does, with two differences users notice:
 * - a throttled batch is kept and retried promptly (50 ms doubling to 1 s, with jitter), its
 *   visibility extended if needed, instead of waiting out the queue's visibility timeout;
 * - one long poll while the queue is idle, one more concurrent batch each time a receive comes
 *   back full (up to MaximumConcurrency), one fewer each time a receive comes back empty.
 */
import type { Received } from '../services/sqs/message-service.js';
import type { QueueSystem } from '../services/sqs/queue-system.js';
import type { FunctionRef } from '../wire/arn.js';
import { isResourceNotFound, isThrottled } from '../wire/errors.js';
import type { InvocationResult } from '../domain/invocation.js';
import type { EventSourcePoller, PollerContext } from './poller.js';
import { failedItems, passesFilters, sqsRecord, type SqsFilter, type SqsRecord } from './sqs-event.js';

export interface SqsPollerOptions {
  queueName: string;
  queueArn: string;
  fifo: boolean;
  function: FunctionRef;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  maximumConcurrency: number;
  filters: readonly SqsFilter[];
}

/** Concurrent batches when the mapping has no ScalingConfig. */
export const DEFAULT_MAXIMUM_CONCURRENCY = 5;
const LONG_POLL_SECONDS = 20;
const THROTTLE_FIRST_MS = 50;
const THROTTLE_MAX_MS = 1000;
const PROBLEM_RETRY_MS = 1000;
/** Stop filling a batch past this many body bytes: the event must stay under the 6 MB payload limit. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

interface Held {
  received: Received;
  record: SqsRecord;
  visibleAt: number;
}

export class SqsPoller implements EventSourcePoller {
  private stopped = false;
  private active = 0;
  private readonly workers = new Set<Promise<void>>();
  private readonly sleepers = new Set<() => void>();
  private throttledUntil = 0;

  constructor(
    private readonly o: SqsPollerOptions,
    private readonly queues: QueueSystem,
    private readonly ctx: PollerContext,
  ) {}

  start(): void {
    this.spawn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    await Promise.allSettled([...this.workers]);
  }

  private get url(): string {
    return this.queues.queues.url(this.o.queueName);
  }

  private spawn(): void {
    this.active++;
    const worker: Promise<void> = this.work()
      .catch((err: unknown) => this.ctx.logger.error('event source poller failed', { queue: this.o.queueArn, error: String(err) }))
      .finally(() => this.workers.delete(worker));
    this.workers.add(worker);
  }

  /** Leaves if other workers remain, so that an idle queue ends with a single long poll. */
  private leave(): boolean {
    if (this.active <= 1) return false;
    this.active--;
    return true;
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      let batch: Received[];
      try {
        const problem = await this.functionProblem();
        if (problem) {
          this.ctx.report(problem);
          if (this.leave()) return;
          await this.sleep(PROBLEM_RETRY_MS);
          continue;
        }
        batch = await this.collect();
      } catch (err) {
        this.ctx.report(`PROBLEM: ${(err as Error).message}`);
        if (this.leave()) return;
        await this.sleep(PROBLEM_RETRY_MS);
        continue;
      }
      if (batch.length === 0) {
        if (this.leave()) return;
        continue;
      }
      const full = batch.length >= Math.min(this.o.batchSize, 10);
      if (full && this.active < this.o.maximumConcurrency && this.ctx.clock.now() >= this.throttledUntil) this.spawn();
      await this.process(batch);
    }
    this.active--;
  }

  private async functionProblem(): Promise<string | undefined> {
    try {
      await this.ctx.invoker.resolve(this.o.function);
      return undefined;
    } catch (err) {
      if (isResourceNotFound(err)) return 'PROBLEM: Function not found';
      return `PROBLEM: ${(err as Error).message}`;
    }
  }

  /** One batch: a long poll for the first messages, then up to the batching window to fill it. */
  private async collect(): Promise<Received[]> {
    const batch = await this.receive(Math.min(10, this.o.batchSize), LONG_POLL_SECONDS);
    if (batch.length === 0 || this.o.maximumBatchingWindowInSeconds === 0) return batch;
    const deadline = this.ctx.clock.now() + this.o.maximumBatchingWindowInSeconds * 1000;
    let bytes = batch.reduce((n, r) => n + r.message.body.length, 0);
    while (!this.stopped && batch.length < this.o.batchSize && bytes < MAX_BATCH_BYTES) {
      const left = deadline - this.ctx.clock.now();
      if (left <= 0) break;
      const more = await this.receive(Math.min(10, this.o.batchSize - batch.length), Math.min(LONG_POLL_SECONDS, Math.ceil(left / 1000)));
      batch.push(...more);
      bytes += more.reduce((n, r) => n + r.message.body.length, 0);
    }
    return batch;
  }

  /** A receive that a stop ends at once; messages it brings after the stop go back to the queue. */
  private async receive(maxMessages: number, waitTimeSeconds: number): Promise<Received[]> {
    if (this.stopped) return [];
    const pending = this.queues.messages.receive(this.url, { maxMessages, waitTimeSeconds });
    let wake!: () => void;
    const stopped = new Promise<undefined>((resolve) => (wake = () => resolve(undefined)));
    this.sleepers.add(wake);
    const got = await Promise.race([pending, stopped]).finally(() => this.sleepers.delete(wake));
    if (got === undefined) {
      pending.then((late) => this.release(late), () => undefined);
      return [];
    }
    return got;
  }

  private async process(batch: Received[]): Promise<void> {
    const all: Held[] = batch.map((received) => ({
      received,
      record: sqsRecord(received.message, received.receiptHandle, this.o.queueArn, this.ctx.region),
      visibleAt: received.message.visibleAt,
    }));
    // Messages that match no filter are deleted without an invocation, as Lambda does.
    const held = all.filter((h) => passesFilters(this.o.filters, h.record));
    if (held.length < all.length) await this.delete(all.filter((h) => !held.includes(h)));
    if (held.length === 0) return;
    const invoked = await this.invokeHolding(held);
    if (invoked) await this.settle(invoked.held, invoked.result);
  }

  /** Invokes with the batch, retrying throttles promptly while keeping the messages hidden. */
  private async invokeHolding(initial: Held[]): Promise<{ held: Held[]; result: InvocationResult } | undefined> {
    let held = initial;
    let delay = THROTTLE_FIRST_MS;
    for (;;) {
      if (this.stopped) {
        await this.release(held.map((h) => h.received));
        return undefined;
      }
      let target;
      try {
        target = await this.ctx.invoker.resolve(this.o.function);
      } catch (err) {
        this.ctx.report(`PROBLEM: ${(err as Error).message}`);
        await this.release(held.map((h) => h.received));
        return undefined;
      }
      const payload = Buffer.from(JSON.stringify({ Records: held.map((h) => h.record) }));
      try {
        // The batch continues the trace of its first message, as Lambda's poller does.
        const traceHeader = held[0]?.record.attributes['AWSTraceHeader'];
        return { held, result: await this.ctx.invoker.invoke(target, payload, { stopRecursion: true, ...(traceHeader === undefined ? {} : { traceHeader }) }) };
      } catch (err) {
        if (!isThrottled(err)) {
          // As Lambda: the messages come back after their visibility timeout.
          this.ctx.report(`PROBLEM: ${(err as Error).message}`);
          if (this.stopped) await this.release(held.map((h) => h.received));
          return undefined;
        }
      }
      this.throttledUntil = this.ctx.clock.now() + THROTTLE_MAX_MS;
      const wait = Math.round(delay / 2 + (Math.random() * delay) / 2);
      delay = Math.min(delay * 2, THROTTLE_MAX_MS);
      held = await this.keepVisible(held, wait);
      if (held.length === 0) return undefined;
      await this.sleep(wait);
    }
  }

  /** Extends the visibility of messages that would reappear before the next attempt; drops those lost. */
  private async keepVisible(held: Held[], waitMs: number): Promise<Held[]> {
    const now = this.ctx.clock.now();
    const short = held.filter((h) => h.visibleAt < now + waitMs + 1000);
    if (short.length === 0) return held;
    const queue = await this.queues.queues.byArn(this.o.queueArn);
    const seconds = Math.max(queue?.settings.visibilityTimeout ?? 30, Math.ceil((waitMs + 1000) / 1000));
    const results = await this.queues.messages
      .changeVisibility(this.url, short.map((h) => ({ handle: h.received.receiptHandle, timeout: seconds })))
      .catch(() => short.map(() => ({ ok: false })));
    const lost = new Set<Held>();
    short.forEach((h, i) => {
      if (results[i]?.ok) h.visibleAt = now + seconds * 1000;
      else lost.add(h);
    });
    return held.filter((h) => !lost.has(h));
  }

  private async settle(held: Held[], result: InvocationResult): Promise<void> {
    if (!result.outcome.ok) {
      this.ctx.report('PROBLEM: Function call failed');
      return;
    }
    let failed = new Set<string>();
    if (this.o.reportBatchItemFailures) {
      const items = failedItems(result.outcome.payload, new Set(held.map((h) => h.record.messageId)));
      if (items === 'all') {
        this.ctx.report('PROBLEM: Function response was not a valid batch item failures response');
        return;
      }
      failed = this.o.fifo ? withGroupTails(held, items) : items;
    }
    await this.delete(held.filter((h) => !failed.has(h.record.messageId)));
    this.ctx.report('OK');
  }

  private async delete(held: readonly Held[]): Promise<void> {
    if (held.length === 0) return;
    try {
      await this.queues.messages.delete(this.url, held.map((h) => h.received.receiptHandle));
    } catch (err) {
      this.ctx.logger.warn('could not delete processed messages', { queue: this.o.queueArn, error: String(err) });
    }
  }

  /** Makes messages visible again at once (they were received but not invoked). */
  private async release(received: readonly Received[]): Promise<void> {
    if (received.length === 0) return;
    try {
      await this.queues.messages.changeVisibility(this.url, received.map((r) => ({ handle: r.receiptHandle, timeout: 0 })));
    } catch {
      // The queue or the store is gone (shutdown): the messages reappear after their timeout.
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        timer.cancel();
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = this.ctx.clock.setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

/** In a FIFO batch, a failed message fails the later messages of its group too, to keep their order. */
function withGroupTails(held: readonly Held[], failed: Set<string>): Set<string> {
  const out = new Set(failed);
  const brokenGroups = new Set<string>();
  for (const h of held) {
    const group = h.received.message.groupId ?? '';
    if (brokenGroups.has(group)) out.add(h.record.messageId);
    else if (failed.has(h.record.messageId)) brokenGroups.add(group);
  }
  return out;
}
