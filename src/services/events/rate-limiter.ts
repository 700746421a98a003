/**
 * Invocations per second of each API destination: at most `limit` requests start in any second
 * (a sliding window on the injected clock); the others wait their turn, in order, as EventBridge
 * holds back events beyond the limit. A backlog of more than a few seconds is refused instead, so
 * that those events wait in the store for a retry (and a stopping server does not wait for them).
 */
import type { Clock } from '../../lib/clock.js';

const WINDOW_MS = 1000;
/** Seconds of backlog that wait in memory; beyond, `take` refuses. */
const BACKLOG_SECONDS = 5;

class Window {
  /** Start times of the latest requests, oldest first. */
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly clock: Clock) {}

  /** Resolves true when a request may start (turns are taken in call order); false at once if the backlog is full. */
  async take(limit: number): Promise<boolean> {
    if (this.waiting >= limit * BACKLOG_SECONDS) return false;
    this.waiting += 1;
    const turn = this.chain.then(() => this.wait(limit));
    this.chain = turn.catch(() => undefined);
    try {
      await turn;
      return true;
    } finally {
      this.waiting -= 1;
    }
  }

  private async wait(limit: number): Promise<void> {
    for (;;) {
      const now = this.clock.monotonic();
      while (this.starts.length > 0 && this.starts[0]! <= now - WINDOW_MS) this.starts.shift();
      if (this.starts.length < limit) {
        this.starts.push(now);
        return;
      }
      const delay = this.starts[0]! + WINDOW_MS - now + 1;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, delay));
    }
  }

  idle(): boolean {
    return this.waiting === 0 && (this.starts.length === 0 || this.starts[this.starts.length - 1]! <= this.clock.monotonic() - WINDOW_MS);
  }
}

export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly clock: Clock) {}

  take(key: string, limit: number): Promise<boolean> {
    let w = this.windows.get(key);
    if (!w) {
      // Idle windows go, so that deleted destinations leave nothing behind.
      if (this.windows.size > 1000) for (const [k, v] of this.windows) if (v.idle()) this.windows.delete(k);
      w = new Window(this.clock);
      this.windows.set(key, w);
    }
    return w.take(limit);
  }
}
