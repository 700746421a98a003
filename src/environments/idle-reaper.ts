/**
 * Stops a pool's environments that stay idle past the idle timeout, with one timer for the whole
 * pool instead of one set and cleared per invocation (a warm environment goes idle after every one).
 */
import type { Clock, Timer } from '../lib/clock.js';

export class IdleReaper<E> {
  /** When each watched environment's idle time runs out, earliest first (each went idle at "now"). */
  private readonly deadlines = new Map<E, number>();
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly expire: (env: E) => void,
  ) {}

  /** `env` went idle now: it expires after the timeout unless forgotten first. */
  watch(env: E): void {
    this.deadlines.delete(env);
    this.deadlines.set(env, this.clock.monotonic() + this.timeoutMs);
    // A timer armed already is due no later than this deadline: it re-arms for the rest when it fires.
    this.timer ??= this.clock.setTimeout(() => this.fire(), this.timeoutMs);
  }

  /** `env` is in use again, or gone. */
  forget(env: E): void {
    this.deadlines.delete(env);
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.clock.monotonic();
    for (const [env, at] of this.deadlines) {
      if (at > now) {
        this.timer = this.clock.setTimeout(() => this.fire(), at - now);
        return;
      }
      this.deadlines.delete(env);
      this.expire(env);
    }
  }
}
