/**
 * The account's unreserved concurrency held across the nodes sharing a PostgreSQL store, leased in
 * blocks so that an invocation costs no store round trip while this node's share has room: the
 * limiter counts against the share; a node short of room asks the store for more (one round trip,
 * shared by those short at once, granting at most what the live nodes' shares leave of the pool);
 * after each heartbeat it gives back what it has not used since the one before. A share counts in
 * the store only while its node beats, so a dead node's share returns to the pool once it is seen
 * dead; this node stops using its share at the same moment (its last heartbeat plus the dead-after
 * time), so a node cut off from the store never runs on a share the others may already have taken.
 */
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { ConcurrencyLimiter, UnreservedShare } from '../invoke/concurrency.js';
import type { FleetRepo } from '../storage/fleet-repo.js';

/** Slots asked beyond the need of the moment, so that a rising load does not cost a round trip per invoke. */
const blockOf = (limit: number): number => Math.max(1, Math.floor(limit / 64));

export class FleetPool implements UnreservedShare {
  private share = 0;
  /** The askers that the next round trip (not yet started) serves. */
  private next: { size: number; done: Promise<void> } | undefined;
  /** Round trips run one after another (a trim never races a grant). */
  private chain: Promise<void> = Promise.resolve();
  /** Whether this node asked for more since the last trim: it is busy, and those it asked for may not have started yet. */
  private grew = false;

  constructor(
    private readonly repo: Pick<FleetRepo, 'resizePoolShare'>,
    private readonly nodeId: string,
    private readonly deadAfterMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly limiter: ConcurrencyLimiter,
    /** When this node's last heartbeat reached the store (epoch ms). */
    private readonly lastBeatAt: () => number,
  ) {}

  /** Slots of the pool this node may use now: its share, until the others could see it dead. */
  available(): number {
    return this.clock.now() < this.lastBeatAt() + this.deadAfterMs ? this.share : 0;
  }

  /** The share as last granted (whether usable or not). */
  get held(): number {
    return this.share;
  }

  /** Asks the store for room for one more invocation; resolves once the round trip serving it ends. */
  grow(): Promise<void> {
    this.grew = true;
    if (this.next !== undefined) {
      this.next.size++;
      return this.next.done;
    }
    const batch = { size: 1, done: Promise.resolve() };
    this.next = batch;
    batch.done = this.serially(async () => {
      if (this.next === batch) this.next = undefined;
      const limit = this.limiter.unreservedLimit;
      const running = this.limiter.unreservedRunning;
      // The whole pool runs here already: no other node holds any of it.
      if (running >= limit) return;
      await this.resize(Math.min(limit, Math.max(this.share, running + batch.size + blockOf(limit) - 1)));
    });
    return batch.done;
  }

  /** After each heartbeat: gives back what was not used since the last trim (nothing if it had to ask for more since). */
  trim(): Promise<void> {
    const peak = this.limiter.takeUnreservedPeak();
    const grew = this.grew;
    this.grew = false;
    if (grew || peak >= this.share) return Promise.resolve();
    return this.serially(async () => {
      const keep = Math.max(peak, this.limiter.unreservedRunning);
      if (keep < this.share) await this.resize(keep);
    });
  }

  private serially(step: () => Promise<void>): Promise<void> {
    const run = this.chain.then(step);
    this.chain = run;
    return run;
  }

  private async resize(want: number): Promise<void> {
    const now = this.clock.now();
    try {
      this.share = await this.repo.resizePoolShare(this.nodeId, want, this.limiter.unreservedLimit, now - this.deadAfterMs, now);
    } catch (err) {
      this.logger.warn('could not resize this node\'s share of the concurrency pool', { node: this.nodeId, want, error: String(err) });
    }
  }
}
