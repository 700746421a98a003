/**
 * One batch read from a shard, taken to its end as Lambda does for streams: split into lanes by
 * partition key (ParallelizationFactor, each lane in order), each lane invoked until it succeeds,
 * its records grow too old, or its retries run out (then described to the on-failure destination and
 * skipped). A failed lane is bisected first when asked (bisecting spends no retry); a
 * ReportBatchItemFailures answer settles the records before the lowest failed one and retries the rest.
 */
import { createHash } from 'node:crypto';
import { isThrottled } from '../wire/errors.js';
import type { StreamSettings } from './model.js';
import type { PollerContext } from './poller.js';
import type { StreamItem } from './sharded-stream.js';
import { failureRecord, type DiscardCondition, type FailureContext, type FailureSender, type LastInvocation } from './stream-failures.js';
import { failedItems } from './sqs-event.js';
import type { FunctionRef } from '../wire/arn.js';

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5_000;

export interface BatchOptions {
  function: FunctionRef;
  settings: StreamSettings;
  reportBatchItemFailures: boolean;
  failure: Omit<FailureContext, 'now' | 'functionArn'>;
  sendFailure: FailureSender;
  /** Tumbling windows: wraps the records in the window's event, and takes the state a success returns. */
  window?: { event(records: unknown[]): Record<string, unknown>; returned(payload: Buffer): void };
}

interface Pending {
  items: StreamItem[];
  /** Failed invocations of these records so far. */
  attempts: number;
}

export class StreamBatch {
  private readonly settled: boolean[];
  private readonly indexOf: Map<StreamItem, number>;
  /** The length of the settled prefix of `items`. */
  private prefix = 0;
  /** The function's execution role as last resolved (records name it). */
  private role = '';

  constructor(
    private readonly items: readonly StreamItem[],
    private readonly o: BatchOptions,
    private readonly ctx: PollerContext,
    /** Called with the last record of the settled prefix each time the prefix grows. */
    private readonly progressed: (last: StreamItem) => Promise<void>,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly stopped: () => boolean,
  ) {
    this.settled = items.map(() => false);
    this.indexOf = new Map(items.map((item, i) => [item, i]));
  }

  /** True once every record is settled; false if the poller stopped first. */
  async run(): Promise<boolean> {
    const lanes = new Map<number, StreamItem[]>();
    const n = this.o.settings.parallelizationFactor;
    for (const item of this.items) {
      const lane = n === 1 ? 0 : createHash('md5').update(item.partitionKey).digest().readUInt32BE(0) % n;
      const list = lanes.get(lane);
      if (list) list.push(item);
      else lanes.set(lane, [item]);
    }
    const done = await Promise.all([...lanes.values()].map((lane) => this.runLane(lane)));
    return done.every(Boolean);
  }

  private async runLane(items: StreamItem[]): Promise<boolean> {
    const queue: Pending[] = [{ items, attempts: 0 }];
    let delay = RETRY_FIRST_MS;
    let last: LastInvocation | undefined;
    while (queue.length > 0) {
      if (this.stopped()) return false;
      const p = queue[0]!;
      const maxAge = this.o.settings.maximumRecordAgeInSeconds;
      if (maxAge >= 0) {
        const now = this.ctx.clock.now();
        const old = p.items.filter((i) => now - i.arrivedAt > maxAge * 1000);
        if (old.length > 0) {
          await this.discard(old, 'RecordAgeExceeded', p.attempts, last);
          const discarded = new Set(old);
          p.items = p.items.filter((i) => !discarded.has(i));
          if (p.items.length === 0) {
            queue.shift();
            continue;
          }
        }
      }
      const outcome = await this.invoke(p.items);
      if (outcome.kind === 'retry') {
        await this.sleep(delay);
        delay = Math.min(delay * 2, RETRY_MAX_MS);
        continue;
      }
      last = outcome.last;
      if (outcome.kind === 'ok') {
        await this.settle(p.items);
        queue.shift();
        delay = RETRY_FIRST_MS;
        continue;
      }
      const failing = p.items.slice(outcome.from);
      await this.settle(p.items.slice(0, outcome.from));
      if (this.o.settings.bisectBatchOnFunctionError && outcome.kind === 'error' && failing.length > 1) {
        const half = Math.ceil(failing.length / 2);
        queue.splice(0, 1, { items: failing.slice(0, half), attempts: p.attempts }, { items: failing.slice(half), attempts: p.attempts });
        continue;
      }
      p.items = failing;
      p.attempts++;
      const maxRetries = this.o.settings.maximumRetryAttempts;
      if (maxRetries >= 0 && p.attempts > maxRetries) {
        await this.discard(failing, 'RetryAttemptsExhausted', p.attempts, last);
        queue.shift();
        continue;
      }
      await this.sleep(delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
    return true;
  }

  /** One invocation: ok, failed from an index (0: all), or not made (throttled, function gone: retried without spending a retry). */
  private async invoke(items: StreamItem[]): Promise<{ kind: 'ok'; last: LastInvocation } | { kind: 'error' | 'partial'; from: number; last: LastInvocation } | { kind: 'retry' }> {
    let target;
    try {
      target = await this.ctx.invoker.resolve(this.o.function);
    } catch (err) {
      this.ctx.report(`PROBLEM: ${(err as Error).message}`);
      return { kind: 'retry' };
    }
    const role = (this.role = target.run.config.role);
    this.ctx.iteratorAge(Math.max(0, this.ctx.clock.now() - items[items.length - 1]!.arrivedAt));
    const records = items.map((i) => i.event(role));
    const payload = Buffer.from(JSON.stringify(this.o.window ? this.o.window.event(records) : { Records: records }));
    let result;
    try {
      result = await this.ctx.invoker.invoke(target, payload, { stopRecursion: true });
    } catch (err) {
      if (!isThrottled(err)) this.ctx.report(`PROBLEM: ${(err as Error).message}`);
      return { kind: 'retry' };
    }
    const o = result.outcome;
    const last: LastInvocation = { requestId: result.requestId, executedVersion: target.version, functionError: o.ok ? undefined : 'Unhandled' };
    if (!o.ok) {
      this.ctx.report('PROBLEM: Function call failed');
      return { kind: 'error', from: 0, last };
    }
    this.o.window?.returned(o.payload);
    if (!this.o.reportBatchItemFailures) {
      this.ctx.report('OK');
      return { kind: 'ok', last };
    }
    const failed = failedItems(o.payload, new Set(items.map((i) => i.sequence)));
    if (failed === 'all') {
      this.ctx.report('PROBLEM: Function response was not a valid batch item failures response');
      return { kind: 'partial', from: 0, last };
    }
    this.ctx.report('OK');
    const from = items.findIndex((i) => failed.has(i.sequence));
    return from === -1 ? { kind: 'ok', last } : { kind: 'partial', from, last };
  }

  private async discard(items: StreamItem[], condition: DiscardCondition, invokeCount: number, last: LastInvocation | undefined): Promise<void> {
    const destination = this.o.settings.onFailure;
    if (destination !== undefined) {
      const record = failureRecord({ ...this.o.failure, functionArn: this.ctx.functionArn(this.o.function), now: this.ctx.clock.now() }, items, condition, invokeCount, last);
      const records = items.map((i) => i.event(this.role));
      const details = { mappingUuid: this.ctx.mappingUuid, shardId: this.o.failure.shardId, payload: this.o.window ? this.o.window.event(records) : { Records: records } };
      if (!(await this.o.sendFailure(destination, record, details))) this.ctx.logger.warn('stream on-failure delivery failed', { destination });
    }
    await this.settle(items);
  }

  private async settle(items: readonly StreamItem[]): Promise<void> {
    if (items.length === 0) return;
    for (const item of items) this.settled[this.indexOf.get(item)!] = true;
    const before = this.prefix;
    while (this.prefix < this.items.length && this.settled[this.prefix]) this.prefix++;
    if (this.prefix > before) await this.progressed(this.items[this.prefix - 1]!);
  }
}
