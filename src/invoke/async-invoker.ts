/**
 * `InvocationType: Event`: accepted at once and run in the background. For now events live in
 * memory and only throttling is retried; durable storage, retries of function errors and
 * destinations come with the queues work.
 */
import type { Clock } from '../lib/clock.js';
import { newRequestId } from '../lib/ids.js';
import type { Logger } from '../lib/logger.js';
import { AwsError } from '../wire/errors.js';
import type { Invoker, ResolvedInvocation } from './invoker.js';

const MAX_EVENT_AGE_MS = 6 * 60 * 60 * 1000;
const MAX_BACKOFF_MS = 60_000;

export class AsyncInvoker {
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly invoker: Invoker,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  submit(target: ResolvedInvocation, payload: Buffer): string {
    const requestId = newRequestId();
    const run = this.run(target, payload, requestId, this.clock.now(), 1000);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return requestId;
  }

  stop(): void {
    this.stopped = true;
  }

  private async run(target: ResolvedInvocation, payload: Buffer, requestId: string, acceptedAt: number, backoffMs: number): Promise<void> {
    try {
      const result = await this.invoker.invoke(target, payload, { requestId });
      if (!result.outcome.ok) this.logger.info('async invocation failed', { function: target.fn.name, requestId, errorType: result.outcome.errorType });
    } catch (err) {
      const throttled = err instanceof AwsError && err.code === 'TooManyRequestsException';
      if (throttled && !this.stopped && this.clock.now() - acceptedAt + backoffMs < MAX_EVENT_AGE_MS) {
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, backoffMs));
        return this.run(target, payload, requestId, acceptedAt, Math.min(backoffMs * 2, MAX_BACKOFF_MS));
      }
      this.logger.warn('async invocation dropped', { function: target.fn.name, requestId, error: (err as Error).message });
    }
  }
}
