/**
 * Durable asynchronous invocation (`InvocationType: Event`). An event is committed to the store
 * before the caller gets 202; a dispatcher claims due events (bounded concurrency), runs them and
 * moves each through the state machine of event-state.ts: retries after function or platform
 * errors, backoff on throttling (not counted as an attempt), expiry after the maximum event age,
 * then destinations and the dead-letter queue. A running event belongs to the node that claimed it:
 * at start a node queues again what it left running in a previous life (every running event, when
 * it is the store's only server), and after each heartbeat what nodes seen dead left running.
 */
import { LATEST } from '../domain/function.js';
import type { FunctionService } from '../functions/function-service.js';
import type { Invoker, ResolvedInvocation } from '../invoke/invoker.js';
import type { Clock, Timer } from '../lib/clock.js';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import type { AsyncEventRepo } from '../storage/store.js';
import { functionArn, parseFunctionRef, type Account, type FunctionRef } from '../wire/arn.js';
import { AwsError, Errors, isRecursiveInvocation, isResourceNotFound, isThrottled } from '../wire/errors.js';
import type { AsyncMetrics } from './async-metrics.js';
import type { Destinations } from './destinations.js';
import { EventBatcher } from './event-batcher.js';
import type { EffectiveConfig, EventInvokeConfigs } from './event-invoke-configs.js';
import { EVENT_STATES, FAILED_STATES } from './event-state.js';
import { invocationRecord, type RecordCondition } from './invocation-record.js';
import type { AsyncEvent, FailureCondition, LastResponse } from './model.js';
import type { RetryPolicy } from './retry-policy.js';

/** Events run at once at most; the account's concurrency limit still applies to each. */
const MAX_CONCURRENT_EVENTS = 32;
/** Failed events kept for replay, per function, and for how long. */
const KEEP_FAILED_EVENTS = 1000;
const FAILED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** At shutdown, how long to wait for running events to record their outcome. */
const DRAIN_MS = 5000;

export interface AsyncInvocationsDeps {
  repo: AsyncEventRepo;
  invoker: Invoker;
  functions: FunctionService;
  configs: EventInvokeConfigs;
  destinations: Destinations;
  policy: RetryPolicy;
  clock: Clock;
  logger: Logger;
  account: Account;
  metrics?: AsyncMetrics | undefined;
  /** This node: its id in the fleet, and whether it is the only server of its store (SQLite). */
  node: { id: string; sole: boolean };
}

export class AsyncInvocations {
  private readonly batcher: EventBatcher;
  private readonly running = new Map<string, Promise<void>>();
  private timer: Timer | undefined;
  private timerAt = Infinity;
  private pumping = false;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(private readonly d: AsyncInvocationsDeps) {
    this.batcher = new EventBatcher(d.repo);
  }

  /** Queues again what this node (or, as the only server, any) left running when it stopped, then starts dispatching. */
  async start(): Promise<void> {
    const { id, sole } = this.d.node;
    const requeued = await this.d.repo.requeueRunning(this.d.clock.now(), sole ? undefined : id);
    if (requeued > 0) this.d.logger.info('async events resumed after restart', { events: requeued });
    this.started = true;
    this.wake();
  }

  /** Queues again the events that nodes silent for `deadAfterMs` left running, and runs them here if there is room. */
  async requeueOrphaned(deadAfterMs: number): Promise<void> {
    const now = this.d.clock.now();
    const requeued = await this.d.repo.requeueOrphaned(now, now - deadAfterMs);
    if (requeued === 0) return;
    this.d.logger.info('async events of a dead node queued again', { node: this.d.node.id, events: requeued });
    this.wake();
  }

  /** Stops dispatching; events already running finish in drain(). */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Waits (boundedly) for running events to record their outcome, before the store closes. */
  async drain(): Promise<void> {
    if (this.running.size === 0) return;
    await Promise.race([
      Promise.allSettled([...this.running.values()]),
      new Promise<void>((resolve) => this.d.clock.setTimeout(resolve, DRAIN_MS)),
    ]);
  }

  /** Stores an event (durably, before returning) under the caller's request id. */
  async submit(target: ResolvedInvocation, payload: Buffer, requestId: string, opts: { tenantId?: string; traceHeader?: string } = {}): Promise<void> {
    const now = this.d.clock.now();
    await this.batcher.add({
      id: requestId,
      functionName: target.fn.name,
      state: 'queued',
      payload,
      acceptedAt: now,
      nextAttemptAt: now,
      attempts: 0,
      finishedAt: null,
      detail: {
        invokedArn: target.invokedArn,
        throttles: 0,
        ...(opts.tenantId !== undefined ? { tenantId: opts.tenantId } : {}),
        ...(opts.traceHeader !== undefined ? { traceHeader: opts.traceHeader } : {}),
      },
    });
    this.d.metrics?.received(target.fn.name);
    this.wake();
  }

  /** An Event invoke made by the platform itself (a function destination); the caller may choose its request id. */
  async submitRef(ref: FunctionRef, payload: Buffer, requestId = newRequestId()): Promise<string> {
    await this.submit(await this.d.invoker.resolve(ref), payload, requestId);
    return requestId;
  }

  /** A function's failed (retries exhausted) and expired events, most recent first. */
  async failed(functionName: string, limit = 100): Promise<AsyncEvent[]> {
    await this.d.functions.get(functionName);
    return this.d.repo.list(functionName, FAILED_STATES, limit);
  }

  /** Runs failed events again, as new events (fresh age and attempts, same request id). */
  async replay(functionName: string, which: { requestId: string } | 'all'): Promise<string[]> {
    await this.d.functions.get(functionName);
    let events: AsyncEvent[];
    if (which === 'all') {
      events = await this.d.repo.list(functionName, FAILED_STATES, KEEP_FAILED_EVENTS);
    } else {
      const e = await this.d.repo.get(which.requestId);
      if (!e || e.functionName !== functionName || !FAILED_STATES.includes(e.state)) {
        throw Errors.resourceNotFound(`No failed asynchronous event ${which.requestId} of function ${functionName}.`);
      }
      events = [e];
    }
    const now = this.d.clock.now();
    const replayed: string[] = [];
    for (const e of events) {
      const { invokedArn, tenantId, traceHeader } = e.detail;
      const fresh: AsyncEvent = {
        ...e,
        state: 'queued',
        acceptedAt: now,
        nextAttemptAt: now,
        attempts: 0,
        finishedAt: null,
        detail: { invokedArn, throttles: 0, ...(tenantId !== undefined ? { tenantId } : {}), ...(traceHeader !== undefined ? { traceHeader } : {}) },
      };
      if (await this.move(e, fresh)) {
        replayed.push(e.id);
        this.d.metrics?.received(functionName);
      }
    }
    this.wake();
    return replayed;
  }

  private wake(): void {
    if (this.started && !this.stopped) void this.pump();
  }

  /** Claims due events while there is room; arms a timer for the next one. */
  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        if (this.stopped) return;
        const free = MAX_CONCURRENT_EVENTS - this.running.size;
        if (free > 0) for (const e of await this.d.repo.claim(this.d.clock.now(), free, this.d.node.id)) this.launch(e);
        // A full dispatcher is woken by the next event that finishes.
        if (this.running.size < MAX_CONCURRENT_EVENTS) {
          const next = await this.d.repo.nextDueAt();
          if (next !== undefined) this.armTimer(next);
        }
      } while (this.again);
    } catch (err) {
      this.d.logger.error('async dispatcher failed; trying again shortly', { error: (err as Error).stack ?? String(err) });
      this.armTimer(this.d.clock.now() + 1000);
    } finally {
      this.pumping = false;
    }
  }

  private armTimer(at: number): void {
    if (this.stopped || (this.timer && this.timerAt <= at)) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.d.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.wake();
    }, Math.max(0, at - this.d.clock.now()));
  }

  private launch(e: AsyncEvent): void {
    const run = this.run(e)
      .catch((err: unknown) => this.d.logger.error('async event failed unexpectedly', { requestId: e.id, error: (err as Error).stack ?? String(err) }))
      .finally(() => {
        this.running.delete(e.id);
        this.wake();
      });
    this.running.set(e.id, run);
  }

  /** One attempt at a running event, ending in the state the outcome calls for. */
  private async run(e: AsyncEvent): Promise<void> {
    // The config of the qualifier the event was invoked with: an alias's, a version's, or $LATEST's.
    const config = await this.d.configs.effective(e.functionName, this.refOf(e).qualifier ?? LATEST);
    const expiresAt = e.acceptedAt + config.maximumEventAgeMs;
    if (this.d.clock.now() >= expiresAt) return this.finish(e, 'expired', 'EventAgeExceeded', config);

    let target: ResolvedInvocation;
    try {
      target = await this.d.invoker.resolve(this.refOf(e));
    } catch (err) {
      if (isResourceNotFound(err)) {
        // The function (or its qualifier) is gone: nothing can ever run this event.
        this.d.logger.warn('async event dropped: its function no longer exists', { requestId: e.id, function: e.functionName });
        await this.d.repo.delete(e.id);
        return;
      }
      return this.backOff(e, expiresAt, err); // e.g. the function is still Pending
    }

    let outcome: LastResponse;
    const startedAt = this.d.clock.now();
    try {
      const result = await this.d.invoker.invoke(target, e.payload, {
        requestId: e.id,
        stopRecursion: true,
        ...(e.detail.tenantId !== undefined ? { tenantId: e.detail.tenantId } : {}),
        ...(e.detail.traceHeader !== undefined ? { traceHeader: e.detail.traceHeader } : {}),
      });
      // An invocation ended by the server's own shutdown is not the function's failure.
      if (this.stopped && !result.outcome.ok && result.outcome.status !== undefined) return this.requeue(e);
      outcome = {
        ok: result.outcome.ok,
        payload: result.outcome.payload.toString('utf8'),
        executedVersion: target.version,
        ...(result.outcome.ok ? {} : { errorType: result.outcome.errorType }),
      };
    } catch (err) {
      if (this.stopped) return this.requeue(e);
      if (isThrottled(err)) return this.backOff(e, expiresAt, err);
      if (isRecursiveInvocation(err)) {
        // A loop is stopped, never retried: the event goes to the dead-letter queue or on-failure destination.
        const stopped = { ok: false, payload: JSON.stringify({ errorType: err.name, errorMessage: err.message }), errorType: err.name, executedVersion: target.version };
        this.d.logger.warn('async event stopped: recursive loop', { requestId: e.id, function: e.functionName });
        return this.finish({ ...e, attempts: e.attempts + 1, detail: { ...e.detail, lastResponse: stopped, lastError: `${err.name}: ${err.message}` } }, 'failed', 'RetriesExhausted', config);
      }
      const message = err instanceof AwsError ? err.message : 'An internal error occurred.';
      if (!(err instanceof AwsError)) this.d.logger.error('async invocation failed in the platform', { requestId: e.id, error: String(err) });
      outcome = { ok: false, payload: JSON.stringify({ errorType: Errors.service.kind.name, errorMessage: message }), errorType: Errors.service.kind.name, executedVersion: target.version };
    }

    this.d.metrics?.attempted(e.functionName, startedAt - e.acceptedAt);
    const attempted: AsyncEvent = { ...e, attempts: e.attempts + 1, detail: { ...e.detail, throttles: 0, lastResponse: outcome } };
    if (outcome.ok) return this.succeed(attempted, config);
    if (attempted.attempts > config.maximumRetryAttempts) return this.finish(attempted, 'failed', 'RetriesExhausted', config);
    const now = this.d.clock.now();
    const retry: AsyncEvent = { ...attempted, state: 'retrying', nextAttemptAt: Math.min(now + this.d.policy.retryDelayMs(attempted.attempts), expiresAt) };
    await this.move(e, retry);
  }

  /**
   * A checked transition stored with the repository's compare-and-set: false (and a warning) when
   * the event had already moved, e.g. another node took it over after this one was thought dead.
   */
  private async move(current: AsyncEvent, next: AsyncEvent): Promise<boolean> {
    const moved = await EVENT_STATES.move(current, next, (n, expected) => this.d.repo.update(n, expected));
    if (!moved) this.d.logger.warn('async event changed state under this node; left as it is', { requestId: current.id, from: current.state, to: next.state });
    return moved;
  }

  private refOf(e: AsyncEvent): FunctionRef {
    return parseFunctionRef(this.d.account, e.detail.invokedArn);
  }

  /** Throttled (or not yet runnable): back in the queue after a backoff, not counted as an attempt. */
  private async backOff(e: AsyncEvent, expiresAt: number, err: unknown): Promise<void> {
    const throttles = e.detail.throttles + 1;
    const at = Math.min(this.d.clock.now() + this.d.policy.throttleDelayMs(throttles), expiresAt);
    const detail = { ...e.detail, throttles, lastError: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    await this.move(e, { ...e, state: 'queued', nextAttemptAt: at, detail });
  }

  private async requeue(e: AsyncEvent): Promise<void> {
    await this.move(e, { ...e, state: 'queued', nextAttemptAt: this.d.clock.now() });
  }

  private async succeed(e: AsyncEvent, config: EffectiveConfig): Promise<void> {
    EVENT_STATES.check(e.state, 'succeeded');
    // Deliver first, then forget the event: a crash in between delivers twice rather than never.
    if (config.onSuccess) await this.deliver(e.functionName, config.onSuccess, this.record(e, 'Success'));
    await this.d.repo.delete(e.id);
  }

  private async finish(e: AsyncEvent, state: 'failed' | 'expired', condition: FailureCondition, config: EffectiveConfig): Promise<void> {
    EVENT_STATES.check(e.state, state);
    const now = this.d.clock.now();
    const done: AsyncEvent = { ...e, state, finishedAt: now, detail: { ...e.detail, condition } };
    if (config.onFailure) await this.deliver(e.functionName, config.onFailure, this.record(done, condition));
    const dlq = await this.d.functions.get(e.functionName).then((fn) => fn.config.deadLetterTargetArn, () => undefined);
    if (dlq && !(await this.d.destinations.deadLetter(dlq, e.payload, deadLetterOf(done)))) this.d.metrics?.deadLetterFailed(e.functionName);
    await this.move(e, done);
    this.d.metrics?.dropped(e.functionName);
    this.d.logger.info('async event failed', { requestId: e.id, function: e.functionName, condition, attempts: e.attempts });
    await this.d.repo.prune(e.functionName, FAILED_STATES, KEEP_FAILED_EVENTS, now - FAILED_RETENTION_MS);
  }

  private async deliver(functionName: string, destination: string, record: Record<string, unknown>): Promise<void> {
    if (!(await this.d.destinations.deliver(destination, record))) this.d.metrics?.destinationFailed(functionName);
  }

  private record(e: AsyncEvent, condition: RecordCondition): Record<string, unknown> {
    const response = e.detail.lastResponse;
    return invocationRecord({
      requestId: e.id,
      functionArn: functionArn(this.d.account, e.functionName, response?.executedVersion ?? LATEST),
      condition,
      approximateInvokeCount: e.attempts,
      timestampMs: this.d.clock.now(),
      requestPayload: e.payload,
      ...(response ? { response } : {}),
    });
  }
}

function deadLetterOf(e: AsyncEvent): { requestId: string; errorCode: number; errorMessage: string } {
  const r = e.detail.lastResponse;
  if (!r) return { requestId: e.id, errorCode: 429, errorMessage: e.detail.lastError ?? 'Event age exceeded before the function could run.' };
  let message = r.payload;
  try {
    const parsed = JSON.parse(r.payload) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // not JSON: the body itself is the message
  }
  return { requestId: e.id, errorCode: 200, errorMessage: message };
}
