/**
 * Counting concurrent executions as Lambda does: a function with reserved concurrency draws only
 * on its reservation; every other function shares what the account limit leaves unreserved.
 */
import { Errors } from '../wire/errors.js';

export interface ConcurrencyLease {
  release(): void;
}

export class ConcurrencyLimiter {
  private readonly perFunction = new Map<string, number>();
  private unreservedInUse = 0;
  private totalReserved = 0;

  constructor(readonly accountLimit: number) {}

  /** Kept current by the function service whenever a reservation changes. */
  setTotalReserved(total: number): void {
    this.totalReserved = total;
  }

  get unreservedLimit(): number {
    return Math.max(0, this.accountLimit - this.totalReserved);
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
      if (this.unreservedInUse >= this.unreservedLimit) throw Errors.tooManyRequests('ConcurrentInvocationLimitExceeded');
      this.unreservedInUse++;
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
