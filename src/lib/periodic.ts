/**
 * A task run again and again on the injected clock (sweeps, evaluations): each run starts `delayMs`
 * after the previous one ended, so runs never overlap; a failed run is reported and the next one
 * still comes. `stop` cancels the wait and waits for a run under way.
 */
import type { Clock, Timer } from './clock.js';

export class Periodic {
  private timer: Timer | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /** `delayMs` gets the clock's now, so a task can align its runs (to the minute, say). */
  constructor(
    private readonly clock: Clock,
    private readonly delayMs: (now: number) => number,
    private readonly run: () => Promise<unknown>,
    private readonly failed: (err: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.running = this.run()
        .then(() => undefined, this.failed)
        .finally(() => this.schedule());
    }, this.delayMs(this.clock.now()));
  }
}
