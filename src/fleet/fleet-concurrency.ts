/**
 * Reserved concurrency held across the nodes sharing a PostgreSQL store: an invocation of a function
 * with reserved concurrency takes a slot in the store (one round trip, which counts only live nodes'
 * slots) and gives it back when it ends (one more). A node seen dead stops counting, and the next
 * taker deletes its slots, so a node that dies never keeps one; a node that joins again under its id
 * deletes what its last run held (FleetMember.join). Functions without a reservation never come here.
 */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { FleetRepo } from '../storage/fleet-repo.js';
import { Errors } from '../wire/errors.js';

/** A release that fails is tried again this many times, a dead-after time apart; then the slot waits for this node's restart. */
const RELEASE_TRIES = 5;

export interface HeldSlot {
  release(): Promise<void>;
}

export class FleetConcurrency {
  constructor(
    private readonly repo: FleetRepo,
    private readonly nodeId: string,
    private readonly deadAfterMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Takes one of the function's `reserved` slots across the fleet, or throws Lambda's 429. */
  async take(functionName: string, reserved: number): Promise<HeldSlot> {
    const now = this.clock.now();
    const id = await this.repo.takeSlot(functionName, this.nodeId, reserved, now - this.deadAfterMs, now);
    if (id === undefined) throw Errors.tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.release(functionName, id, 1);
      },
    };
  }

  private async release(functionName: string, id: number, attempt: number): Promise<void> {
    try {
      await this.repo.releaseSlot(id);
    } catch (err) {
      this.logger.warn('could not release a concurrency slot in the store', { function: functionName, attempt, error: String(err) });
      if (attempt < RELEASE_TRIES) this.clock.setTimeout(() => void this.release(functionName, id, attempt + 1), this.deadAfterMs);
    }
  }
}
