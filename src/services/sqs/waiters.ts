/**
 * Long-poll waiters: a receive with nothing to take waits here until its queue changes (a send,
 * a visibility change, a move), its timer fires (deadline or next message becoming visible), or
 * the service stops. Each queue has a version, so a change between a receive's look at the queue
 * and its wait is not missed.
 */
import type { Clock } from '../../lib/clock.js';

interface Waiter {
  wake(): void;
}

export class Waiters {
  private readonly versions = new Map<string, number>();
  private readonly waiting = new Map<string, Set<Waiter>>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  version(queue: string): number {
    return this.versions.get(queue) ?? 0;
  }

  /** Resolves when the queue's version moves past `since`, after `ms`, or at close. */
  wait(queue: string, since: number, ms: number): Promise<void> {
    if (this.closed || this.version(queue) !== since || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiting.get(queue) ?? new Set<Waiter>();
      this.waiting.set(queue, set);
      const waiter: Waiter = {
        wake: () => {
          timer.cancel();
          set.delete(waiter);
          if (set.size === 0 && this.waiting.get(queue) === set) this.waiting.delete(queue);
          resolve();
        },
      };
      const timer = this.clock.setTimeout(() => waiter.wake(), ms);
      set.add(waiter);
    });
  }

  notify(queue: string): void {
    this.versions.set(queue, this.version(queue) + 1);
    for (const w of [...(this.waiting.get(queue) ?? [])]) w.wake();
  }

  /** Every queue with a waiter may have changed (signals from other nodes were lost): all look again. */
  notifyAll(): void {
    for (const queue of [...this.waiting.keys()]) this.notify(queue);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Wakes every waiter; later waits return at once. */
  close(): void {
    this.closed = true;
    for (const set of [...this.waiting.values()]) for (const w of [...set]) w.wake();
  }
}
