/**
 * Runs the scheduling core only on the node holding the schedules lease. Each node keeps its own
 * view of the schedules (those it loads at start and those created through it); the holder reloads
 * them all from the store when it takes the lease, and those changed since on each heartbeat while
 * it holds it, so schedules created, changed or deleted on other nodes fire as stored. A node that
 * loses the lease stops firing at its next heartbeat; claims in the store keep each occurrence once
 * in between.
 */
import type { Logger } from '../lib/logger.js';
import type { SchedulingCore } from './scheduling-core.js';

/** An owner of schedules (scheduled rules, Scheduler): brings the core in line with its store. */
export interface ScheduleSource {
  /** `all`: every stored schedule is added again (the core was stopped); else only those changed. */
  reload(all: boolean): Promise<void>;
}

export class LeasedScheduling {
  private running = false;

  constructor(
    private readonly core: SchedulingCore,
    private readonly sources: readonly ScheduleSource[],
    private readonly holds: () => boolean,
    private readonly logger: Logger,
  ) {}

  /** After the sources have loaded at start: runs the core if this node holds the lease. */
  start(): void {
    if (!this.holds()) return;
    this.running = true;
    this.core.start();
  }

  /** After each heartbeat: follows the lease. */
  async afterBeat(): Promise<void> {
    if (this.holds()) {
      const taking = !this.running;
      for (const source of this.sources) await source.reload(taking);
      if (taking && this.holds()) {
        this.running = true;
        this.core.start();
        this.logger.info('this node runs the schedules');
      }
    } else if (this.running) {
      this.running = false;
      await this.core.stop();
      this.logger.info('this node no longer runs the schedules');
    }
  }
}
