/**
 * Counting concurrent executions as Lambda does: a function with reserved concurrency draws only
 * on its reservation; every other function shares what the account limit leaves unreserved.
 */
import { Errors } from '../wire/errors.js';

export interface ConcurrencyLease {
  release(): void;
}

/** What a node of a fleet may use of the unreserved pool (fleet/fleet-pool.ts): the rest is other nodes'. */
export interface UnreservedShare {
  available(): number;
}

export class ConcurrencyLimiter {
  private readonly perFunction = new Map<string, number>();
  private unreservedInUse = 0;
  /** The most unreserved invocations running at once since takeUnreservedPeak(). */
  private unreservedPeak = 0;
  private totalReserved = 0;
  private share: UnreservedShare | undefined;

  constructor(readonly accountLimit: number) {}

  /** Kept current by the function service whenever a reservation changes. */
  setTotalReserved(total: number): void {
    this.totalReserved = total;
  }

  get unreservedLimit(): number {
    return Math.max(0, this.accountLimit - this.totalReserved);
  }

  /** On a node of a fleet: unreserved invocations run only within the node's share of the pool. */
  drawFrom(share: UnreservedShare): void {
    this.share = share;
  }

  /** Whether an invocation of a function without a reservation may start now. */
  hasUnreservedRoom(): boolean {
    const cap = this.share === undefined ? this.unreservedLimit : Math.min(this.unreservedLimit, this.share.available());
    return this.unreservedInUse < cap;
  }

  get unreservedRunning(): number {
    return this.unreservedInUse;
  }

  /** The peak since the last call (then starts again from those running now). */
  takeUnreservedPeak(): number {
    const peak = this.unreservedPeak;
    this.unreservedPeak = this.unreservedInUse;
    return peak;
  }

  inUse(name: string): number {
    return this.perFunction.get(name) ?? 0;
  }

  /** Takes one execution slot or throws TooManyRequestsException with Lambda's reason. */
  acquire(name: string, reserved: number | null): ConcurrencyLease {
    const used = this.perFunction.get(name) ?? 0;
    if (reserved !== null) {
      if (used >= reserved) throw Errors.tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
    } else {
      if (!this.hasUnreservedRoom()) throw Errors.tooManyRequests('ConcurrentInvocationLimitExceeded');
      this.unreservedInUse++;
      if (this.unreservedInUse > this.unreservedPeak) this.unreservedPeak = this.unreservedInUse;
    }
    this.perFunction.set(name, used + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const n = (this.perFunction.get(name) ?? 1) - 1;
        if (n === 0) this.perFunction.delete(name);
        else this.perFunction.set(name, n);
        if (reserved === null) this.unreservedInUse--;
      },
    };
  }
}
