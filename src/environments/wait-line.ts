/**
 * The invocations waiting for an environment of one pool, oldest first. Each wait is bounded: past
 * it the invocation leaves the line with the error its expiry gives, never left hanging.
 */
import type { InvocationRequest, InvocationResult } from '../domain/invocation.js';
import type { Clock, Timer } from '../lib/clock.js';

interface Waiter {
  req: InvocationRequest;
  timer: Timer;
  resolve(result: Promise<InvocationResult>): void;
  reject(err: unknown): void;
}

export class WaitLine {
  private readonly waiters: Waiter[] = [];

  constructor(private readonly clock: Clock) {}

  get length(): number {
    return this.waiters.length;
  }

  /** Queues an invocation; after `waitMs` still waiting, it leaves the line rejected with `expired()`. */
  wait(req: InvocationRequest, waitMs: number, expired: () => unknown): Promise<InvocationResult> {
    return new Promise<InvocationResult>((resolve, reject) => {
      const waiter: Waiter = {
        req,
        resolve,
        reject,
        timer: this.clock.setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i < 0) return;
          this.waiters.splice(i, 1);
          reject(expired());
        }, waitMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** The oldest waiting invocation gets what `serve` makes of it; false when none waits. */
  serveNext(serve: (req: InvocationRequest) => Promise<InvocationResult>): boolean {
    const waiter = this.waiters.shift();
    if (!waiter) return false;
    waiter.timer.cancel();
    waiter.resolve(serve(waiter.req));
    return true;
  }

  /** The oldest waiting invocation fails with `err`, if one waits. */
  failNext(err: unknown): void {
    const waiter = this.waiters.shift();
    waiter?.timer.cancel();
    waiter?.reject(err);
  }

  failAll(err: unknown): void {
    for (const w of this.waiters.splice(0)) {
      w.timer.cancel();
      w.reject(err);
    }
  }
}
