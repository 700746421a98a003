/**
 * When an event runs again. Lambda waits 1 minute before the first retry and 2 before the second;
 * throttled events back off from 1 second. `scale` (the --async-retry-scale option) multiplies every
 * delay so that development and tests need not wait minutes.
 */
const RETRY_DELAYS_MS = [60_000, 120_000];
const THROTTLE_FIRST_MS = 1000;
const THROTTLE_MAX_MS = 5 * 60_000;
/** Below this, a scaled delay would spin the dispatcher. */
const MIN_DELAY_MS = 20;

export class RetryPolicy {
  constructor(private readonly scale: number) {}

  /** Delay before the retry that follows the `attempts`-th failed attempt (1-based). */
  retryDelayMs(attempts: number): number {
    const base = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0]!;
    return this.scaled(base);
  }

  /** Delay after the `throttles`-th throttled attempt in a row (1-based): doubling, capped. */
  throttleDelayMs(throttles: number): number {
    return this.scaled(Math.min(THROTTLE_FIRST_MS * 2 ** Math.max(0, throttles - 1), THROTTLE_MAX_MS));
  }

  private scaled(ms: number): number {
    return Math.max(MIN_DELAY_MS, Math.round(ms * this.scale));
  }
}
