/**
 * Log retention, as CloudWatch Logs applies PutRetentionPolicy: records older than a function's
 * retention are deleted, checked every few minutes and at once when a policy is set. Deletion runs
 * in bounded steps, so a long-neglected log never holds the store for long.
 */
import type { Clock } from '../lib/clock.js';
import { Periodic } from '../lib/periodic.js';
import type { Logger } from '../lib/logger.js';
import type { LogRepo } from '../storage/store.js';

/** The values CloudWatch Logs accepts for retentionInDays. */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const DAY_MS = 86_400_000;
const RECORDS_PER_STEP = 5_000;

export class LogRetention {
  private readonly periodic: Periodic;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: LogRepo,
    private readonly clock: Clock,
    private readonly logger: Logger,
    everyMs = 5 * 60_000,
  ) {
    this.periodic = new Periodic(clock, () => everyMs, () => this.apply(), () => undefined); // apply logs its own failures
  }

  start(): void {
    this.periodic.start();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
    await this.running;
  }

  /** Applies the retention of one function now, or of every function with one. */
  apply(functionName?: string): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const retentions = await this.repo.retentions();
        for (const [name, days] of retentions) {
          if (functionName !== undefined && name !== functionName) continue;
          const before = this.clock.now() - days * DAY_MS;
          while ((await this.repo.deleteOlderThan(name, before, RECORDS_PER_STEP)) === RECORDS_PER_STEP) {
            await new Promise<void>((resolve) => setImmediate(resolve)); // let invocations through between steps
          }
        }
      } catch (err) {
        this.logger.error('could not apply log retention', { error: (err as Error).message });
      }
    });
    return this.running;
  }
}
