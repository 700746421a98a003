/**
 * Route throttling as a stage's route settings ask (ThrottlingRateLimit per second, ThrottlingBurstLimit
 * at once): a token bucket per stage and route key; an empty bucket is API Gateway's 429.
 */
import type { Clock } from '../../../lib/clock.js';
import type { RouteSettings } from '../records.js';

interface Bucket {
  tokens: number;
  at: number;
}

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Whether the request may go on; takes a token when it may. */
  admit(key: string, settings: RouteSettings | undefined): boolean {
    const rate = settings?.throttlingRateLimit;
    const burst = settings?.throttlingBurstLimit;
    if (rate === undefined && burst === undefined) return true;
    const capacity = Math.max(0, burst ?? Math.ceil(rate ?? 0));
    const now = this.clock.monotonic();
    const b = this.buckets.get(key) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * (rate ?? 0));
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
