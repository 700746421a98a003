/**
 * Usage plan limits, on the injected clock: a token bucket per key and limit (refilled at `rateLimit`
 * per second, holding at most `burstLimit`) and a request count per key and quota period (UTC day,
 * week from Monday, or month). Counters live in this process: a restart starts them afresh.
 */
import type { Clock } from '../../../lib/clock.js';
import type { Quota, Throttle } from '../model.js';

export class UsageMeter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly quotas = new Map<string, { period: number; used: number }>();

  constructor(private readonly clock: Clock) {}

  /** Takes a token from the bucket under `key`; false when it is empty (or the limit is zero). */
  take(key: string, throttle: Throttle | undefined): boolean {
    if (throttle?.rateLimit === undefined && throttle?.burstLimit === undefined) return true;
    const rate = throttle.rateLimit ?? 0;
    const capacity = throttle.burstLimit ?? Math.max(1, Math.ceil(rate));
    const now = this.clock.monotonic();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) * rate) / 1000);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Counts a request against the quota under `key`; false (and not counted) past the limit. */
  count(key: string, quota: Quota | undefined): boolean {
    if (!quota) return true;
    const period = periodOf(this.clock.now(), quota.period);
    const entry = this.quotas.get(key);
    const used = entry && entry.period === period ? entry.used : 0;
    if (used >= quota.limit) return false;
    this.quotas.set(key, { period, used: used + 1 });
    return true;
  }

  /** Requests counted in the current period (GetUsage's figure). */
  used(key: string, quota: Quota): number {
    const entry = this.quotas.get(key);
    return entry && entry.period === periodOf(this.clock.now(), quota.period) ? entry.used : 0;
  }
}

/** The start of the quota period holding `now`, in epoch milliseconds (UTC). */
function periodOf(now: number, period: Quota['period']): number {
  const d = new Date(now);
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return day;
  const sinceMonday = (d.getUTCDay() + 6) % 7;
  return day - sinceMonday * 86_400_000;
}
