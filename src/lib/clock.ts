/** Time, injected so that timeouts, retries and schedules can be tested without real waiting. */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /** Monotonic milliseconds with sub-millisecond precision, for durations. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to: tests step through minutes of deployments at once. */
export class ManualClock implements Clock {
  private wall: number;
  private mono = 0;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  constructor(start = Date.now()) {
    this.wall = start;
  }

  now(): number {
    return this.wall;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    const timer = { at: this.mono + ms, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  /** Moves time forward and runs, in order, the timers that have come due. */
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
    const due = this.timers.filter((t) => !t.cancelled && t.at <= this.mono).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => !t.cancelled && t.at > this.mono);
    for (const t of due) t.fn();
  }
}

/**
 * A clock that runs `scale` times faster than `source` (the system clock by default): it starts at
 * the source's now and its timers fire after 1/scale of their time, so a five-minute canary step
 * takes five seconds at scale 60. The server's --time-scale gives it to the subsystems whose time is
 * the user's to compress (deployments, schedules), never to invoke timeouts or what functions measure.
 */
export class ScaledClock implements Clock {
  private readonly wallAtStart: number;
  private readonly monoAtStart: number;

  constructor(
    readonly scale: number,
    private readonly source: Clock = systemClock,
  ) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`a clock's scale must be a positive number, got ${scale}`);
    this.wallAtStart = source.now();
    this.monoAtStart = source.monotonic();
  }

  now(): number {
    return this.wallAtStart + Math.floor((this.source.monotonic() - this.monoAtStart) * this.scale);
  }

  monotonic(): number {
    return (this.source.monotonic() - this.monoAtStart) * this.scale;
  }

  setTimeout(fn: () => void, ms: number): Timer {
    return this.source.setTimeout(fn, Math.max(0, ms) / this.scale);
  }
}
